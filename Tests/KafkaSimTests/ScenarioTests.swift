import Foundation
import TestSupport
import Testing
@testable import KafkaSim

/// Scenario files: the shipped ones parse, bad ones fail at a position, and a player performs
/// the steps at their offsets.
struct ScenarioTests {
    static let shipped = ["one-broker-fails-and-recovers.yml", "two-brokers-fail.yml", "all-brokers-fail.yml",
                          "slow-broker-then-two-fail.yml"]

    @Test(arguments: shipped)
    func shippedScenariosParse(file: String) throws {
        let path = TestPaths.packageRoot.appendingPathComponent("scenarios/\(file)").path
        let scenario = try Scenario.load(path: path)
        #expect(!scenario.steps.isEmpty)
        #expect(scenario.steps.map(\.at) == scenario.steps.map(\.at).sorted())
        #expect(scenario.steps.contains { if case .stopBroker = $0.action { true } else { false } })
    }

    @Test func parsesEveryAction() throws {
        let scenario = try Scenario.parse("""
            - {at: 1s, action: stop_broker, broker: 2}
            - {at: 2s, action: start_broker, broker: 2}
            - {at: 3s, action: slow_broker, broker: 1, latency: 100ms}
            - {at: 4s, action: recover_broker, broker: 1}
            - {at: 5s, action: fail_broker, broker: 3, error_code: 5}
            - {at: 6s, action: heal_broker, broker: 3}
            - {at: 7s, action: create_topic, topic: t, partitions: 2, replication_factor: 3, configs: {min.insync.replicas: 3}}
            - {at: 8s, action: set_leader, topic: t, partition: 0, leader: 2}
            - {at: 9s, action: set_isr, topic: t, partition: 0, isr: [2, 3]}
            - {at: 1m, action: delete_topic, topic: t}
            """)
        #expect(scenario.steps.map(\.action) == [
            .stopBroker(2), .startBroker(2), .slowBroker(1, latency: .milliseconds(100), lagging: true),
            .slowBroker(1, latency: .zero, lagging: false), .setBrokerError(3, code: 5), .setBrokerError(3, code: nil),
            .createTopic(TopicSpec(name: "t", partitions: 2, replicationFactor: 3, configs: ["min.insync.replicas": "3"])),
            .setLeader(topic: "t", partition: 0, leader: 2), .setISR(topic: "t", partition: 0, isr: [2, 3]),
            .deleteTopic("t"),
        ])
    }

    @Test(arguments: [
        ("timeline: 3", "f.yml:1:11: the timeline must be a list of steps"),
        ("description: x", "f.yml:1:1: a scenario needs a \"timeline\" list"),
        ("- {at: soon, action: stop_broker, broker: 1}", "f.yml:1:8: at: \"soon\" is not a duration"),
        ("- at: 1s\n  action: explode", "f.yml:2:11: action: unknown action \"explode\""),
        ("- at: 1s\n  action: stop_broker", "f.yml:1:3: missing \"broker\""),
        ("- at: 1s\n  action: stop_broker\n  broker: two", "f.yml:3:11: broker: \"two\" is not an integer"),
        ("- [", "f.yml: not valid YAML"),
        ("- {at: 1s, action: fail_broker, broker: 1, error_code: 70000}", "f.yml:1:56: error_code: 70000 is not a Kafka error code"),
    ])
    func badScenariosFailAtAPosition(yaml: String, message: String) {
        do {
            _ = try Scenario.parse(yaml, file: "f.yml")
            Issue.record("parsed: \(yaml)")
        } catch {
            #expect("\(error)".hasPrefix(message), "\(error)")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aPlayerPerformsStepsAtTheirOffsets() async throws {
        // A long catch-up keeps the traces of the stop (moved leaders) visible after the play.
        let sim = try await TestCluster.start(topics: [TopicSpec(name: "dlq", partitions: 3, replicationFactor: 3)],
                                              timing: ReplicationTiming(catchUpDelay: .seconds(60)))
        let scenario = try Scenario.parse("""
            timeline:
              - {at: 0s, action: stop_broker, broker: 2}
              - {at: 300ms, action: start_broker, broker: 2}
            """)
        let start = Date()
        await ScenarioPlayer(scenario: scenario, cluster: sim.cluster, logger: TestCluster.quiet).play()
        #expect(Date().timeIntervalSince(start) >= 0.3)
        let state = await sim.cluster.state()
        #expect(state.broker(2)?.alive == true)
        #expect(state.broker(2)?.replication == .catchingUp)
        let formerlyLedBy2 = state.topics[0].partitions.filter { $0.preferredLeader == 2 }
        #expect(!formerlyLedBy2.isEmpty)
        #expect(formerlyLedBy2.allSatisfy { $0.leader != 2 && $0.leaderEpoch == 1 })
        await sim.close()
    }
}
