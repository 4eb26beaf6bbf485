/// Why the collector could not be created or a collection failed.
public enum CollectorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// librdkafka refused a configuration property (a user error: bad config).
    case invalidProperty(name: String, reason: String)
    /// librdkafka could not create its handle.
    case clientCreation(String)
    /// The Metadata request failed (brokers unreachable, timeout, authentication …).
    case metadata(String)
    /// DescribeConfigs failed or timed out.
    case describeConfigs(String)

    public var description: String {
        switch self {
        case let .invalidProperty(name, reason): return "librdkafka property \(name): \(reason)"
        case let .clientCreation(reason): return "cannot create librdkafka client: \(reason)"
        case let .metadata(reason): return "metadata request failed: \(reason)"
        case let .describeConfigs(reason): return "DescribeConfigs failed: \(reason)"
        }
    }
}
