/// Topic configuration names and the values a topic reports when not set explicitly.
public enum TopicConfigs {
    /// `min.insync.replicas`: the ISR size below which `acks=all` producers fail.
    public static let minInsyncReplicas = "min.insync.replicas"
    /// `unclean.leader.election.enable`: whether an out-of-sync replica may become leader.
    public static let uncleanLeaderElection = "unclean.leader.election.enable"

    /// The original cluster's settings for a topic of replication factor `rf`:
    /// `min.insync.replicas=2` (1 when RF < 3) and unclean election off.
    public static func clusterDefaults(replicationFactor rf: Int) -> [String: String] {
        [minInsyncReplicas: rf < 3 ? "1" : "2", uncleanLeaderElection: "false"]
    }

    /// Kafka's defaults for other common topic configs (reported as default, source 5).
    public static let kafkaDefaults: [(name: String, value: String, type: ConfigType)] = [
        ("cleanup.policy", "delete", .list),
        ("compression.type", "producer", .string),
        ("max.message.bytes", "1048588", .int),
        ("retention.bytes", "-1", .long),
        ("retention.ms", "604800000", .long),
        ("segment.bytes", "1073741824", .int),
    ]

    /// DescribeConfigs' config types (v3+).
    public enum ConfigType: Int8, Sendable {
        /// Kafka's `ConfigType` numbering.
        case unknown = 0, boolean = 1, string = 2, int = 3, short = 4, long = 5, double = 6, list = 7
    }

    /// The type reported for a config name.
    static func type(of name: String) -> ConfigType {
        switch name {
        case minInsyncReplicas: .int
        case uncleanLeaderElection: .boolean
        default: kafkaDefaults.first { $0.name == name }?.type ?? .string
        }
    }
}
