/// The JSON document of `GET /state`: brokers, controller, topics with partitions and configs.
public struct ClusterStateDocument: Codable, Sendable, Equatable {
    /// One broker.
    public struct Broker: Codable, Sendable, Equatable {
        public var id: Int32
        public var host: String
        public var port: Int
        public var alive: Bool
        public var replication: String
        public var latencyMs: Int64
        public var errorCode: Int16?

        enum CodingKeys: String, CodingKey {
            case id, host, port, alive, replication, latencyMs = "latency_ms", errorCode = "error_code"
        }
    }

    /// One partition.
    public struct Partition: Codable, Sendable, Equatable {
        public var partition: Int32
        public var leader: Int32
        public var leaderEpoch: Int32
        public var replicas: [Int32]
        public var isr: [Int32]

        enum CodingKeys: String, CodingKey {
            case partition, leader, leaderEpoch = "leader_epoch", replicas, isr
        }
    }

    /// One topic.
    public struct Topic: Codable, Sendable, Equatable {
        public var name: String
        public var id: String
        public var partitions: [Partition]
        public var configs: [String: String]
    }

    public var clusterId: String
    public var controllerId: Int32
    public var replicaLagTimeMs: Int64
    public var brokers: [Broker]
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
