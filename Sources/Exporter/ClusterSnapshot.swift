/// What one metadata collection saw of a Kafka cluster: a plain value, independent of
/// librdkafka, so that derivation and tests can build and compare snapshots freely.
public struct ClusterSnapshot: Sendable, Equatable {
    /// The cluster id from Metadata, when the brokers report one.
    public var clusterID: String?
    /// The controller broker id from Metadata, when known.
    public var controllerID: Int32?
    /// The brokers that Metadata lists, i.e. the live ones.
    public var brokers: [Broker]
    /// Every topic Metadata lists, internal topics included.
    public var topics: [Topic]

    /// Builds a snapshot.
    public init(clusterID: String? = nil, controllerID: Int32? = nil, brokers: [Broker], topics: [Topic]) {
        self.clusterID = clusterID
        self.controllerID = controllerID
        self.brokers = brokers
        self.topics = topics
    }

    /// A broker as Metadata describes it.
    public struct Broker: Sendable, Equatable {
        /// The broker id (`broker.id`).
        public var id: Int32
        /// The advertised host.
        public var host: String
        /// The advertised port.
        public var port: Int32
        /// The rack (`broker.rack`), when the client library reports it.
        public var rack: String?

        /// Builds a broker description.
        public init(id: Int32, host: String, port: Int32, rack: String? = nil) {
            self.id = id
            self.host = host
            self.port = port
            self.rack = rack
        }
    }

    /// A topic, its partitions and the topic-level settings the monitor reads.
    public struct Topic: Sendable, Equatable {
        /// The topic name.
        public var name: String
        /// The partitions, in Metadata's order (usually by id).
        public var partitions: [Partition]
        /// `min.insync.replicas` as DescribeConfigs answered it; nil when not known.
        public var minInsyncReplicas: Int?
        /// The topic-level Metadata error code (0 for none).
        public var errorCode: Int32

        /// Builds a topic description.
        public init(name: String, partitions: [Partition], minInsyncReplicas: Int? = nil, errorCode: Int32 = 0) {
            self.name = name
            self.partitions = partitions
            self.minInsyncReplicas = minInsyncReplicas
            self.errorCode = errorCode
        }
    }

    /// A partition: its leader, replica set and in-sync replica set.
    public struct Partition: Sendable, Equatable {
        /// The partition id.
        public var id: Int32
        /// The leader broker id, or -1 when the partition has none.
        public var leader: Int32
        /// The assigned replicas; the first is the preferred leader.
        public var replicas: [Int32]
        /// The in-sync replicas.
        public var isr: [Int32]
        /// The partition-level Metadata error code (0 for none).
        public var errorCode: Int32

        /// Builds a partition description.
        public init(id: Int32, leader: Int32, replicas: [Int32], isr: [Int32], errorCode: Int32 = 0) {
            self.id = id
            self.leader = leader
            self.replicas = replicas
            self.isr = isr
            self.errorCode = errorCode
        }

        /// Kafka's `LEADER_NOT_AVAILABLE` error code.
        public static let leaderNotAvailable: Int32 = 5

        /// Offline: no leader (-1) or a leader-not-available error.
        public var isOffline: Bool { leader < 0 || errorCode == Self.leaderNotAvailable }

        /// Under-replicated: fewer in-sync replicas than assigned replicas.
        public var isUnderReplicated: Bool { isr.count < replicas.count }

        /// Led by a broker other than its preferred (first) replica, while online.
        public var isOffPreferredLeader: Bool {
            guard !isOffline, let preferred = replicas.first else { return false }
            return leader != preferred
        }
    }
}
