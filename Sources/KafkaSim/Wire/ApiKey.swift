/// The Kafka APIs KafkaSim answers, with the version ranges it speaks and the first flexible
/// version of each (from which compact encodings, tagged fields and header v2/v1 apply).
public enum ApiKey: Int16, CaseIterable, Sendable {
    /// Metadata: brokers, controller, topics, partitions.
    case metadata = 3
    /// DescribeConfigs: topic and broker configs.
    case describeConfigs = 32
    /// ApiVersions: the versions this broker speaks.
    case apiVersions = 18
    /// DescribeCluster: cluster id, controller, brokers.
    case describeCluster = 60

    /// The lowest and highest version this simulator understands.
    public var supportedVersions: ClosedRange<Int16> {
        switch self {
        case .metadata: 0...12
        case .describeConfigs: 0...4
        case .apiVersions: 0...3
        case .describeCluster: 0...1
        }
    }

    /// The first flexible version (per the message schemas' `flexibleVersions`).
    var firstFlexibleVersion: Int16 {
        switch self {
        case .metadata: 9
        case .describeConfigs: 4
        case .apiVersions: 3
        case .describeCluster: 0
        }
    }

    func isFlexible(_ version: Int16) -> Bool { version >= firstFlexibleVersion }

    /// The request header version for a request of this API at `version`: v2 when flexible,
    /// else v1 (every supported API here has a client id).
    func requestHeaderVersion(_ version: Int16) -> Int { isFlexible(version) ? 2 : 1 }

    /// The response header version: v1 when flexible, else v0 — except ApiVersions, whose
    /// response always uses header v0 so that a client can parse it before it knows our versions.
    func responseHeaderVersion(_ version: Int16) -> Int {
        self == .apiVersions ? 0 : (isFlexible(version) ? 1 : 0)
    }
}

/// Kafka protocol error codes that the simulator sends.
public enum KafkaErrorCode: Int16, Sendable {
    /// No error.
    case none = 0
    /// UNKNOWN_SERVER_ERROR.
    case unknownServerError = -1
    /// UNKNOWN_TOPIC_OR_PARTITION.
    case unknownTopicOrPartition = 3
    /// LEADER_NOT_AVAILABLE: the partition is offline.
    case leaderNotAvailable = 5
    /// NOT_LEADER_OR_FOLLOWER.
    case notLeaderOrFollower = 6
    /// BROKER_NOT_AVAILABLE.
    case brokerNotAvailable = 8
    /// UNSUPPORTED_VERSION.
    case unsupportedVersion = 35
    /// INVALID_REQUEST.
    case invalidRequest = 42
    /// UNKNOWN_TOPIC_ID.
    case unknownTopicId = 100
}
