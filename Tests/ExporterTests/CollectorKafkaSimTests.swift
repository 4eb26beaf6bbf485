import Foundation
import KafkaSim
import Logging
import Testing
@testable import Exporter

/// The real collector (librdkafka over TCP) against KafkaSim, an independent implementation
/// of the protocol: what the collector reports must be what the simulator holds.
@Suite(.serialized) struct CollectorKafkaSimTests {
    static let timing = ReplicationTiming(replicaLagTime: .seconds(1), catchUpDelay: .milliseconds(300),
                                          preferredLeaderDelay: .milliseconds(300))

    /// A started simulator of the original cluster and a collector pointed at it.
    static func start() async throws -> (SimulatedCluster, Collector) {
        let cluster = SimulatedCluster(configuration: .init(brokers: 3, topics: TopicSpec.originalService,
                                                            timing: timing, seed: 42))
        try await cluster.start()
        let collector = try Collector(
            configuration: .init(bootstrapServers: [await cluster.bootstrapServers], metadataTimeout: .seconds(3),
                                 configTimeout: .seconds(3), configRefreshEvery: 1),
            logger: Logger(label: "test"))
        return (cluster, collector)
    }

    /// A snapshot taken while the simulator's state did not change, with that state.
    static func consistent(_ cluster: SimulatedCluster, _ collector: Collector) async throws -> (ClusterSnapshot, ClusterModel) {
        for _ in 0..<50 {
            let before = await cluster.state()
            let snapshot = try await collector.collect()
            let after = await cluster.state()
            if before.topics == after.topics && before.liveBrokerIds == after.liveBrokerIds { return (snapshot, after) }
        }
        throw CancellationError()
    }

    /// Every broker, leader, replica set and ISR of `snapshot` equals the simulator's.
    static func expectSame(_ snapshot: ClusterSnapshot, _ model: ClusterModel) {
        #expect(snapshot.clusterID == model.clusterId)
        #expect(snapshot.brokers.map(\.id).sorted() == model.liveBrokerIds.sorted())
        for broker in snapshot.brokers {
            #expect(model.broker(broker.id).map { Int32($0.port) } == broker.port)
        }
        #expect(Set(snapshot.topics.map(\.name)) == Set(model.topics.map(\.name)))
        for topic in snapshot.topics {
            guard let expected = model.topic(topic.name) else { continue }
            #expect(topic.partitions.count == expected.partitions.count)
            for partition in topic.partitions {
                let truth = expected.partitions[Int(partition.id)]
                #expect(partition.leader == truth.leader, "\(topic.name)-\(partition.id) leader")
                #expect(partition.replicas == truth.replicas, "\(topic.name)-\(partition.id) replicas")
                #expect(Set(partition.isr) == Set(truth.isr), "\(topic.name)-\(partition.id) ISR")
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func collectorSeesWhatTheSimulatorHoldsIncludingBrokerTwoStopping() async throws {
        let (cluster, collector) = try await Self.start()
        defer { Task { await cluster.shutdown() } }
        var (snapshot, model) = try await Self.consistent(cluster, collector)
        Self.expectSame(snapshot, model)
        #expect(snapshot.controllerID.map { model.liveBrokerIds.contains($0) } == true)

        var state = HealthState()
        let deriver = HealthDeriver()
        _ = deriver.derive(&state, snapshot: snapshot)

        try await cluster.stopBroker(2)
        // Immediately: broker 2 leaves metadata and leads nothing.
        (snapshot, model) = try await Self.consistent(cluster, collector)
        Self.expectSame(snapshot, model)
        #expect(!snapshot.brokers.contains { $0.id == 2 })
        #expect(snapshot.topics.allSatisfy { $0.partitions.allSatisfy { $0.leader != 2 } })

        // After the lag time: it has left every ISR.
        let deadline = Date().addingTimeInterval(10)
        repeat {
            try await Task.sleep(for: .milliseconds(200))
            (snapshot, model) = try await Self.consistent(cluster, collector)
        } while snapshot.topics.contains(where: { $0.partitions.contains { $0.isr.contains(2) } }) && Date() < deadline
        Self.expectSame(snapshot, model)
        #expect(snapshot.topics.allSatisfy { $0.partitions.allSatisfy { !$0.isr.contains(2) } })

        let derived = deriver.derive(&state, snapshot: snapshot)
        let online = derived.families.first { $0.name == MetricNames.brokerOnline }
        #expect(online?.samples.first { $0.labels[0] == "2" }?.value == 0)
        let under = derived.families.first { $0.name == MetricNames.underReplicatedPartitions }
        #expect(under?.value(MetricNames.totalTopic) == 203)
        let shrinks = derived.families.first { $0.name == MetricNames.isrShrinkEvents }
        #expect(shrinks?.samples.reduce(0) { $0 + $1.value } == 203, "broker 2 left 203 ISRs once each")
        #expect(derived.events.contains(.brokersMissing(missing: [2], online: 2, expected: 3)))
    }

    @Test(.timeLimit(.minutes(1)))
    func minInsyncReplicasComeFromDescribeConfigs() async throws {
        let (cluster, collector) = try await Self.start()
        defer { Task { await cluster.shutdown() } }
        var snapshot = try await collector.collect()
        for _ in 0..<30 where snapshot.topics.contains(where: { $0.minInsyncReplicas == nil }) {
            try await Task.sleep(for: .milliseconds(100))
            snapshot = try await collector.collect()
        }
        #expect(snapshot.topics.allSatisfy { $0.minInsyncReplicas == 2 }, "KafkaSim's topics have min.insync.replicas=2")
    }

    /// DESIGN.md's failure matrix, rows "2 brokers stop" and "all 3 stop", through the whole
    /// exporter: the survivor leads everything, ISRs shrink to 1, every partition is under
    /// min ISR (acks=all fails) yet online; with no broker left, `kafka_up` is 0.
    @Test(.timeLimit(.minutes(1)))
    func twoBrokersStoppingLeaveEveryPartitionUnderMinIsrButOnline() async throws {
        let (cluster, collector) = try await Self.start()
        defer { Task { await cluster.shutdown() } }
        let monitor = HealthMonitor(source: collector, deriver: HealthDeriver(), store: nil, logger: Logger(label: "test"))
        // Wait for DescribeConfigs' min.insync.replicas=2 to arrive.
        var text = ""
        for attempt in 0..<30 {
            await monitor.collectOnce(at: Int64(attempt))
            text = monitor.render(.prometheusText)
            if Exposition.value(of: #"kafka_topic_min_insync_replicas{topic="dlq"}"#, in: text) == 2 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(Exposition.value(of: #"kafka_at_min_isr_partitions{topic="__total__"}"#, in: text) == 0)

        try await cluster.stopBroker(2)
        try await cluster.stopBroker(3)
        let deadline = Date().addingTimeInterval(10)
        repeat {
            try await Task.sleep(for: .milliseconds(200))
            await monitor.collectOnce(at: 100)
            text = monitor.render(.prometheusText)
        } while Exposition.value(of: #"kafka_under_min_isr_partitions{topic="__total__"}"#, in: text) != 203
            && Date() < deadline
        #expect(Exposition.value(of: #"kafka_under_min_isr_partitions{topic="__total__"}"#, in: text) == 203)
        #expect(Exposition.value(of: #"kafka_offline_partitions{topic="__total__"}"#, in: text) == 0)
        #expect(Exposition.value(of: #"kafka_broker_leader_partitions{broker_id="1"}"#, in: text) == 203)
        #expect(Exposition.value(of: "kafka_cluster_brokers", in: text) == 1)
        #expect(Exposition.lines(of: "kafka_broker_online", in: text).filter { $0.hasSuffix(" 0") }.count == 2)
        #expect(Exposition.value(of: #"kafka_isr_shrink_events_total{topic="dlq",partition="0"}"#, in: text) == 2)

        try await cluster.stopBroker(1)
        let failed = await monitor.collectOnce(at: 200)
        #expect(!failed.succeeded)
        text = monitor.render(.prometheusText)
        #expect(Exposition.value(of: "kafka_up", in: text) == 0)
        #expect(Exposition.lines(of: "kafka_broker_online", in: text).allSatisfy { $0.hasSuffix(" 0") })
    }
}
