/// The Kafka APIs KafkaSim answers, with the version ranges it speaks and the first flexible
/// version of each (from which compact encodings, tagged fields and header v2/v1 apply).
public enum ApiKey: Int16, CaseIterable, Sendable {
    case metadata = 3
    case describeConfigs = 32
    case apiVersions = 18
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
    case none = 0
    case unknownServerError = -1
    case unknownTopicOrPartition = 3
    case leaderNotAvailable = 5
    case notLeaderOrFollower = 6
    case brokerNotAvailable = 8
    case unsupportedVersion = 35
    case invalidRequest = 42
    case unknownTopicId = 100
}
