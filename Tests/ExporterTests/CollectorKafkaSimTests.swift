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
}
