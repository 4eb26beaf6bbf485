/// What derivation remembers between collections: brokers seen before (with their last
/// address), each partition's last ISR and its ISR event counters, and the conditions last
/// reported as events. A value: the deriver reads one and returns the next.
public struct HealthState: Sendable {
    /// Every broker id seen in Metadata or in a replica set, with its last known address
    /// (empty host and port when only seen in replica sets).
    public internal(set) var knownBrokers: [Int32: BrokerAddress] = [:]
    /// Per topic: the last ISR of each partition and its counters.
    public internal(set) var topics: [String: TopicHistory] = [:]
    /// The expected brokers missing at the last collection; nil before the first.
    var lastMissingBrokers: [Int32]?
    /// Offline partitions at the last successful collection.
    var lastOfflinePartitions = 0
    /// Whether the last collection succeeded; nil before the first.
    var lastCollectionSucceeded: Bool?

    /// The state before any collection.
    public init() {}

    /// A broker's advertised address, kept for its `host` and `port` labels.
    public struct BrokerAddress: Sendable, Equatable {
        /// The advertised host, empty when never seen in Metadata.
        public var host: String
        /// The advertised port as a label value, empty when never seen in Metadata.
        public var port: String
    }

    /// One topic's partition history, indexed by partition id.
    public struct TopicHistory: Sendable {
        /// The last ISR of each partition id; nil for ids not present.
        public internal(set) var isr: [[Int32]?] = []
        /// Whether each partition id is present.
        public internal(set) var present: [Bool] = []
        /// Brokers that left each partition's ISR since the process started.
        public internal(set) var shrinks: [Double] = []
        /// Brokers that joined each partition's ISR since the process started.
        public internal(set) var expands: [Double] = []
    }
}
