/// A change in cluster health worth one log line: emitted once when the condition changes,
/// not on every poll.
public enum HealthEvent: Sendable, Equatable, CustomStringConvertible {
    /// Fewer brokers than expected are online (emitted again when the missing set changes).
    case brokersMissing(missing: [Int32], online: Int, expected: Int)
    /// Every expected broker is online again.
    case brokersRestored(expected: Int)
    /// Some partitions have no leader (emitted again when the count changes).
    case partitionsOffline(count: Int, topics: [String])
    /// No partition is offline any more.
    case partitionsOnline
    /// A collection failed after the previous one succeeded (or at start).
    case collectionFailed(reason: String)
    /// A collection succeeded after failures.
    case collectionRecovered

    /// How loudly to log the event.
    public enum Severity: Sendable, Equatable {
        case info, warning, error
    }

    /// Warning for missing brokers, error for offline partitions and failed collections.
    public var severity: Severity {
        switch self {
        case .brokersMissing: return .warning
        case .partitionsOffline, .collectionFailed: return .error
        case .brokersRestored, .partitionsOnline, .collectionRecovered: return .info
        }
    }

    public var description: String {
        switch self {
        case let .brokersMissing(missing, online, expected):
            let ids = missing.map(String.init).joined(separator: ",")
            return "\(online) of \(expected) expected brokers online; missing broker ids \(ids)"
        case let .brokersRestored(expected):
            return "all \(expected) expected brokers online"
        case let .partitionsOffline(count, topics):
            return "\(count) partitions offline (no leader) in topics \(topics.joined(separator: ","))"
        case .partitionsOnline:
            return "no partition offline"
        case let .collectionFailed(reason):
            return "cluster metadata collection failed: \(reason)"
        case .collectionRecovered:
            return "cluster metadata collection succeeded again"
        }
    }
}
