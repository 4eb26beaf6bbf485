/// One partition's replication state: the assignment and what the controller elected.
public struct PartitionState: Sendable, Equatable {
    /// The leader's broker id, or -1 when the partition is offline.
    public var leader: Int32
    /// Incremented at each leader change.
    public var leaderEpoch: Int32
    /// The assigned replicas; the first is the preferred leader.
    public var replicas: [Int32]
    /// The in-sync replicas, in the order they joined.
    public var isr: [Int32]

    /// Creates a partition state.
    public init(leader: Int32, leaderEpoch: Int32 = 0, replicas: [Int32], isr: [Int32]) {
        self.leader = leader
        self.leaderEpoch = leaderEpoch
        self.replicas = replicas
        self.isr = isr
    }

    /// The preferred leader (the first assigned replica).
    public var preferredLeader: Int32 { replicas.first ?? -1 }
}

/// A topic: name, id, partitions, and its explicitly set configs.
public struct TopicState: Sendable, Equatable {
    /// The topic name.
    public let name: String
    /// The topic id (Metadata v10+).
    public let id: TopicID
    /// Whether the topic is internal (like `__consumer_offsets`).
    public var isInternal: Bool
    /// The partitions, indexed by partition number.
    public var partitions: [PartitionState]
    /// The configs set on the topic; the rest come from `TopicConfigs.defaults`.
    public var configs: [String: String]

    /// Creates a topic state.
    public init(name: String, id: TopicID, isInternal: Bool = false,
                partitions: [PartitionState], configs: [String: String]) {
        self.name = name
        self.id = id
        self.isInternal = isInternal
        self.partitions = partitions
        self.configs = configs
    }

    /// The replication factor (of partition 0; Kafka keeps it uniform per topic).
    public var replicationFactor: Int { partitions.first?.replicas.count ?? 0 }

    /// Whether a partition without a live in-sync replica may elect an out-of-sync one.
    var uncleanLeaderElection: Bool { configs[TopicConfigs.uncleanLeaderElection] == "true" }
}
