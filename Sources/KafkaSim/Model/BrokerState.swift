/// One simulated broker as the controller sees it: its endpoint, whether it runs, and the
/// faults injected into it.
public struct BrokerState: Sendable, Equatable {
    /// How far this broker's replicas are from their leaders, which decides ISR membership.
    public enum Replication: String, Sendable, Equatable {
        /// Following every leader closely: eligible to be in ISRs.
        case inSync = "in_sync"
        /// Started recently, still fetching; joins ISRs when the catch-up delay ends.
        case catchingUp = "catching_up"
        /// Slowed down: falls out of ISRs (where it is a follower) after the replica lag time.
        case lagging
        /// Not running.
        case stopped
    }

    /// The broker id (1…N).
    public let id: Int32
    /// The advertised host.
    public var host: String
    /// The advertised port (0 until its listener is bound).
    public var port: Int
    /// The rack, or nil.
    public var rack: String?
    /// Whether the broker runs (is in metadata and accepts connections).
    public var alive: Bool
    /// The replication state of its replicas.
    public var replication: Replication
    /// Whether the broker (stopped or lagging) has been out of touch for longer than the
    /// replica lag time: a leader elected later drops it from the ISR at once.
    public var outOfSync: Bool
    /// Extra latency added to each of its responses.
    public var latency: Duration
    /// When set, the broker answers requests with this Kafka error code.
    public var injectedError: Int16?

    /// A running, in-sync broker without faults.
    public init(id: Int32, host: String = "127.0.0.1", port: Int = 0, rack: String? = nil) {
        self.id = id
        self.host = host
        self.port = port
        self.rack = rack
        self.alive = true
        self.replication = .inSync
        self.outOfSync = false
        self.latency = .zero
        self.injectedError = nil
    }
}
