/// What a transition of the replication model changed, for logs and tests.
public enum ClusterEvent: Sendable, Equatable {
    /// A broker stopped.
    case brokerStopped(Int32)
    /// A broker started.
    case brokerStarted(Int32)
    /// Another broker (or none, -1) became the controller.
    case controllerChanged(Int32)
    /// A partition's leader changed (-1: offline).
    case leaderChanged(topic: String, partition: Int32, from: Int32, to: Int32)
    /// A broker left a partition's ISR.
    case isrShrunk(topic: String, partition: Int32, broker: Int32)
    /// A broker joined a partition's ISR.
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
