/// The JSON document of `GET /state`: brokers, controller, topics with partitions and configs.
public struct ClusterStateDocument: Codable, Sendable, Equatable {
    /// One broker.
    public struct Broker: Codable, Sendable, Equatable {
        /// The broker id.
        public var id: Int32
        /// The advertised host.
        public var host: String
        /// The listener port.
        public var port: Int
        /// Whether it runs (in metadata, accepting connections).
        public var alive: Bool
        /// `in_sync`, `catching_up`, `lagging` or `stopped`.
        public var replication: String
        /// Injected response latency.
        public var latencyMs: Int64
        /// Injected Kafka error code, if any.
        public var errorCode: Int16?

        enum CodingKeys: String, CodingKey {
            case id, host, port, alive, replication, latencyMs = "latency_ms", errorCode = "error_code"
        }
    }

    /// One partition.
    public struct Partition: Codable, Sendable, Equatable {
        /// The partition index.
        public var partition: Int32
        /// The leader (-1: offline).
        public var leader: Int32
        /// The leader epoch.
        public var leaderEpoch: Int32
        /// The assigned replicas (first = preferred leader).
        public var replicas: [Int32]
        /// The in-sync replicas.
        public var isr: [Int32]

        enum CodingKeys: String, CodingKey {
            case partition, leader, leaderEpoch = "leader_epoch", replicas, isr
        }
    }

    /// One topic.
    public struct Topic: Codable, Sendable, Equatable {
        /// The topic name.
        public var name: String
        /// The topic id (UUID text).
        public var id: String
        /// The partitions in order.
        public var partitions: [Partition]
        /// The configs set on the topic.
        public var configs: [String: String]
    }

    /// The cluster id.
    public var clusterId: String
    /// The controller (-1: none runs).
    public var controllerId: Int32
    /// The replica lag time.
    public var replicaLagTimeMs: Int64
    /// Every broker, running or not.
    public var brokers: [Broker]
    /// The topics in creation order.
    public var topics: [Topic]

    enum CodingKeys: String, CodingKey {
        case clusterId = "cluster_id", controllerId = "controller_id", replicaLagTimeMs = "replica_lag_time_ms"
        case brokers, topics
    }

    /// The document of a model snapshot.
    public init(_ model: ClusterModel) {
        clusterId = model.clusterId
        controllerId = model.controllerId
        replicaLagTimeMs = model.timing.replicaLagTime.milliseconds
        brokers = model.brokers.map {
            Broker(id: $0.id, host: $0.host, port: $0.port, alive: $0.alive, replication: $0.replication.rawValue,
                   latencyMs: $0.latency.milliseconds, errorCode: $0.injectedError)
        }
        topics = model.topics.map { topic in
            Topic(name: topic.name, id: topic.id.description,
                  partitions: topic.partitions.enumerated().map {
                      Partition(partition: Int32($0.offset), leader: $0.element.leader, leaderEpoch: $0.element.leaderEpoch,
                                replicas: $0.element.replicas, isr: $0.element.isr)
                  },
                  configs: topic.configs)
        }
    }
}
