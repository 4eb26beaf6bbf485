/// What a transition of the replication model changed, for logs and tests.
public enum ClusterEvent: Sendable, Equatable {
    case brokerStopped(Int32)
    case brokerStarted(Int32)
    case controllerChanged(Int32)
    case leaderChanged(topic: String, partition: Int32, from: Int32, to: Int32)
    case isrShrunk(topic: String, partition: Int32, broker: Int32)
    case isrExpanded(topic: String, partition: Int32, broker: Int32)
}

/// A delayed transition the model owes, due at `at` (time since the cluster started).
struct ScheduledTransition: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A stopped or lagging broker leaves the ISRs it follows in.
        case leaveIsrs
        /// A started or recovered broker has caught up and rejoins ISRs.
        case catchUp
        /// Preferred leaders are restored.
        case restorePreferredLeaders
    }

    var at: Duration
    var broker: Int32
    var kind: Kind
}
