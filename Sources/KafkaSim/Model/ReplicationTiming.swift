/// The delays of the replication model.
public struct ReplicationTiming: Sendable, Equatable {
    /// `replica.lag.time.max.ms`: how long a stopped or lagging replica stays in ISRs.
    public var replicaLagTime: Duration
    /// How long a started (or un-slowed) broker takes to catch up and rejoin ISRs.
    public var catchUpDelay: Duration
    /// How long after catching up the preferred leaders are restored.
    public var preferredLeaderDelay: Duration

    /// The simulator's defaults: 10 s lag time (Kafka's is 30 s), 2 s catch-up, 1 s to
    /// restore preferred leaders.
    public init(replicaLagTime: Duration = .seconds(10), catchUpDelay: Duration = .seconds(2),
                preferredLeaderDelay: Duration = .seconds(1)) {
        self.replicaLagTime = replicaLagTime
        self.catchUpDelay = catchUpDelay
        self.preferredLeaderDelay = preferredLeaderDelay
    }
}
