/// The read side of the store, the seam between storage and the PromQL engine: the engine
/// asks for series by matchers over a closed time range and gets them in sorted label order.
public protocol Querier: Sendable {
    /// Every series whose labels satisfy all `matchers`, with its samples whose timestamps
    /// lie in `mint...maxt` (both ends inclusive; callers narrow further). Staleness markers
    /// are included. Series are sorted by labels (`Labels.<`); a series with no sample in the
    /// range may be left out.
    func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Series]
}

/// The write side of the store, the seam used by the collector and the rule evaluator.
public protocol Appender: Sendable {
    /// Appends one collection: every sample at `timestamp`. Series that `source` wrote in its
    /// previous batch but not in this one get a staleness marker at `timestamp`, as Prometheus
    /// does for a scrape. Returns what was accepted and what was rejected, and why.
    @discardableResult
    func append(source: String, timestamp: Int64, samples: [(Labels, Double)]) -> AppendResult
}

/// The outcome of an append.
public struct AppendResult: Sendable, Equatable {
    public var appended: Int
    public var rejected: [Rejection]

    public init(appended: Int = 0, rejected: [Rejection] = []) {
        self.appended = appended
        self.rejected = rejected
    }

    /// A sample the store refused, and why.
    public struct Rejection: Sendable, Equatable, CustomStringConvertible {
        public enum Reason: String, Sendable, Hashable, CaseIterable {
            case outOfOrder = "out of order sample"
            case duplicateTimestamp = "duplicate sample for timestamp"
            case tooOld = "sample older than the retention window"
        }

        public let labels: Labels
        public let timestamp: Int64
        public let reason: Reason

        public init(labels: Labels, timestamp: Int64, reason: Reason) {
            self.labels = labels
            self.timestamp = timestamp
            self.reason = reason
        }

        public var description: String { "\(reason.rawValue): \(labels) @\(timestamp)" }
    }
}
