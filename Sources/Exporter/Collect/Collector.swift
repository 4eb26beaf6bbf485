import Logging

/// Something that yields cluster snapshots: the librdkafka `Collector`, or a test double.
public protocol SnapshotSource: Sendable {
    /// One collection of cluster metadata.
    func collect() async throws -> ClusterSnapshot
}

/// Collects `ClusterSnapshot`s from a Kafka cluster through one long-lived librdkafka handle.
///
/// Each `collect()` asks for Metadata of all topics. Topic `min.insync.replicas` comes from
/// DescribeConfigs, requested every `configRefreshEvery` collections without waiting for
/// the answer; until an answer arrives (and for clusters that cannot answer, such as
/// librdkafka's mock cluster) topics carry no value and derivation uses the default, which
/// is logged once. Concurrent callers join the collection in flight instead of starting one.
public actor Collector: SnapshotSource {
    /// How the collector talks to the cluster.
    public struct Configuration: Sendable {
        /// `bootstrap.servers`.
        public var bootstrapServers: [String]
        /// Extra librdkafka properties, passed as is (SASL, SSL, …).
        public var properties: [String: String]
        /// How long one Metadata request may take.
        public var metadataTimeout: Duration
        /// How long DescribeConfigs may take before librdkafka fails it.
        public var configTimeout: Duration
        /// Refresh topic configs every this many collections (the first collection included).
        public var configRefreshEvery: Int

        /// A configuration with the usual timeouts.
        public init(bootstrapServers: [String], properties: [String: String] = [:],
                    metadataTimeout: Duration = .seconds(10), configTimeout: Duration = .seconds(10),
                    configRefreshEvery: Int = 10) {
            self.bootstrapServers = bootstrapServers
            self.properties = properties
            self.metadataTimeout = metadataTimeout
            self.configTimeout = configTimeout
            self.configRefreshEvery = max(1, configRefreshEvery)
        }

        /// The librdkafka properties: ours first, the user's overriding them.
        var librdkafkaProperties: [(String, String)] {
            var merged: [String: String] = [
                "bootstrap.servers": bootstrapServers.joined(separator: ","),
                "client.id": "kafka-health-monitor",
            ]
            merged.merge(properties) { _, user in user }
            return merged.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
    }

    private let client: RdKafkaClient
    private let configuration: Configuration
    private let logger: Logger
    private var inFlight: Task<ClusterSnapshot, any Error>?
    private var collections = 0
    private var minInsyncReplicas: [String: Int] = [:]
    private var loggedConfigFallback = false

    /// How many Metadata requests were actually made (joined callers do not add to it).
    public private(set) var metadataRequests = 0

    /// Creates the librdkafka handle; throws `CollectorError.invalidProperty` for a bad property.
    public init(configuration: Configuration, logger: Logger) throws {
        client = try RdKafkaClient(properties: configuration.librdkafkaProperties)
        self.configuration = configuration
        self.logger = logger
    }

    /// One collection; a caller arriving while another collection runs gets that one's result.
    public func collect() async throws -> ClusterSnapshot {
        if let inFlight { return try await inFlight.value }
        let task = Task { try await self.collectNow() }
        inFlight = task
        defer { inFlight = nil }
        return try await task.value
    }

    private func collectNow() async throws -> ClusterSnapshot {
        metadataRequests += 1
        try await absorbTopicConfigs()
        var snapshot = try await client.metadata(timeout: configuration.metadataTimeout)
        if collections % configuration.configRefreshEvery == 0 {
            try await client.requestTopicConfigs(snapshot.topics.map(\.name), timeout: configuration.configTimeout)
        }
        collections += 1
        for index in snapshot.topics.indices {
            snapshot.topics[index].minInsyncReplicas = minInsyncReplicas[snapshot.topics[index].name]
        }
        return snapshot
    }

    /// Takes in the DescribeConfigs answer if one has arrived; logs the fallback once.
    private func absorbTopicConfigs() async throws {
        switch try await client.pollTopicConfigs() {
        case .success(let values)?:
            minInsyncReplicas = values
        case .failure(let error)?:
            if !loggedConfigFallback {
                loggedConfigFallback = true
                logger.warning("cannot read topic min.insync.replicas (\(error)); using the configured default")
            }
        case nil:
            break
        }
    }
}
