import Foundation
import Logging
import Testing
import TimeSeries
@testable import Exporter

/// The real collector against librdkafka's mock cluster over TCP.
@Suite(.serialized) struct CollectorMockClusterTests {
    static let logger = Logger(label: "test")

    static func collector(_ bootstrap: String, timeout: Duration = .seconds(3)) throws -> Collector {
        try Collector(configuration: .init(bootstrapServers: [bootstrap], metadataTimeout: timeout,
                                           configTimeout: .seconds(2)),
                      logger: logger)
    }

    @Test(.timeLimit(.minutes(1)))
    func snapshotOfTheOriginalCluster() async throws {
        let mock = try MockKafkaCluster.original()
        let snapshot = try await Self.collector(mock.bootstrapServers).collect()
        #expect(snapshot.brokers.map(\.id).sorted() == [1, 2, 3])
        #expect(snapshot.brokers.allSatisfy { !$0.host.isEmpty && $0.port > 0 })
        let partitions = Dictionary(uniqueKeysWithValues: snapshot.topics.map { ($0.name, $0.partitions.count) })
        #expect(partitions == ["messages": 100, "file_merge_requests": 50, "message_status_updates": 50, "dlq": 3])
        for topic in snapshot.topics {
            for partition in topic.partitions {
                #expect(partition.replicas.count == 3)
                #expect(Set(partition.isr) == Set(partition.replicas))
                #expect(partition.replicas.contains(partition.leader))
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func pipelineExposesTheContractAndSeesLeadersGo() async throws {
        let mock = try MockKafkaCluster.original()
        let store = Store()
        let monitor = HealthMonitor(source: try Self.collector(mock.bootstrapServers), deriver: HealthDeriver(),
                                    store: store, logger: Self.logger)
        await monitor.collectOnce(at: 1_000)
        var text = monitor.render(.prometheusText)
        #expect(Exposition.value(of: "kafka_up", in: text) == 1)
        #expect(Exposition.value(of: "kafka_cluster_brokers", in: text) == 3)
        #expect(Exposition.value(of: "kafka_cluster_topics", in: text) == 4)
        #expect(Exposition.value(of: "kafka_cluster_partitions", in: text) == 203)
        #expect(Exposition.value(of: #"kafka_under_replicated_partitions{topic="__total__"}"#, in: text) == 0)
        let online = Exposition.lines(of: "kafka_broker_online", in: text)
        #expect(online.count == 3)
        #expect(online.allSatisfy { $0.hasSuffix("} 1") && $0.contains(#"host=""#) && $0.contains(#"port=""#) })

        try mock.setLeader("messages", partition: 7, broker: -1)
        try mock.setLeader("messages", partition: 42, broker: -1)
        await monitor.collectOnce(at: 2_000)
        text = monitor.render(.prometheusText)
        #expect(Exposition.value(of: #"kafka_offline_partitions{topic="messages"}"#, in: text) == 2)
        #expect(Exposition.value(of: #"kafka_offline_partitions{topic="__total__"}"#, in: text) == 2)

        // Each collection also went into the store, so rules can read the history.
        let offline = store.select([try LabelMatcher(.equal, "__name__", "kafka_offline_partitions"),
                                    try LabelMatcher(.equal, "topic", "messages")], mint: 0, maxt: 3_000)
        #expect(offline.first?.samples.map(\.value) == [0, 2])
    }

    @Test(.timeLimit(.minutes(1)))
    func concurrentCollectionsJoinTheOneInFlight() async throws {
        let mock = try MockKafkaCluster.original()
        let collector = try Self.collector(mock.bootstrapServers)
        _ = try await collector.collect()
        let before = await collector.metadataRequests
        async let first = collector.collect()
        async let second = collector.collect()
        async let third = collector.collect()
        let snapshots = try await [first, second, third]
        #expect(snapshots.allSatisfy { $0.topics.count == 4 })
        let made = await collector.metadataRequests - before
        #expect(made >= 1 && made < 3, "three concurrent callers made \(made) requests")
    }

    /// Unreachable brokers (ports held, not listening), then a cluster on exactly those ports.
    /// KafkaSim stands in for the mock here: rd_kafka_mock_broker_set_down re-binds the
    /// broker's port and aborts the process when something took the port in between.
    @Test(.timeLimit(.minutes(1)))
    func unreachableClusterFailsTheCollectionAndRecovers() async throws {
        let brokers = UnreachableBrokers()
        let monitor = HealthMonitor(source: try Self.collector(brokers.bootstrapServers, timeout: .milliseconds(500)),
                                    deriver: HealthDeriver(expectedBrokers: [1, 2, 3]), store: nil, logger: Self.logger)
        let failed = await monitor.collectOnce(at: 1_000)
        #expect(!failed.succeeded)
        #expect(Exposition.value(of: "kafka_up", in: monitor.render(.prometheusText)) == 0)
        #expect(monitor.hasAttemptedCollection)
        let cluster = try await brokers.comeUp()
        var recovered = false
        for attempt in 0..<20 where !recovered {
            recovered = await monitor.collectOnce(at: 2_000 + Int64(attempt)).succeeded
        }
        #expect(recovered)
        #expect(Exposition.value(of: "kafka_cluster_brokers", in: monitor.render(.prometheusText)) == 3)
        await cluster.shutdown()
    }
}
