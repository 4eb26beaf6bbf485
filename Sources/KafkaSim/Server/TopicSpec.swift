/// A topic to create: name, partition count, replication factor and explicit configs.
public struct TopicSpec: Sendable, Equatable, Codable {
    /// The topic name.
    public var name: String
    /// The number of partitions.
    public var partitions: Int
    /// The replication factor.
    public var replicationFactor: Int
    /// Configs set on the topic (the rest take the cluster defaults).
    public var configs: [String: String]

    /// Creates a topic spec.
    public init(name: String, partitions: Int, replicationFactor: Int, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }

    enum CodingKeys: String, CodingKey {
        case name, partitions, replicationFactor = "replication_factor", configs
    }

    /// Decodes `{"name", "partitions", "replication_factor", "configs"?}`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        partitions = try container.decode(Int.self, forKey: .partitions)
        replicationFactor = try container.decode(Int.self, forKey: .replicationFactor)
        configs = try container.decodeIfPresent([String: String].self, forKey: .configs) ?? [:]
    }

    /// Parses `NAME:PARTITIONS:RF` (the `--topics` syntax).
    public init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let partitions = Int(parts[1]), let rf = Int(parts[2]), !parts[0].isEmpty else {
            return nil
        }
        self.init(name: String(parts[0]), partitions: partitions, replicationFactor: rf)
    }

    /// The original service's four topics: messages 100, file_merge_requests 50,
    /// message_status_updates 50, dlq 3, all with replication factor 3.
    public static let originalService: [TopicSpec] = [
        TopicSpec(name: "messages", partitions: 100, replicationFactor: 3),
        TopicSpec(name: "file_merge_requests", partitions: 50, replicationFactor: 3),
        TopicSpec(name: "message_status_updates", partitions: 50, replicationFactor: 3),
        TopicSpec(name: "dlq", partitions: 3, replicationFactor: 3),
    ]
}
