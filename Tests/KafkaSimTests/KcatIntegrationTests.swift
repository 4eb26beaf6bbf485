import Foundation
import TestSupport
import Testing
@testable import KafkaSim

/// A real librdkafka client (Debian's kcat) against the simulator: the original service's
/// topics (messages 100, file_merge_requests 50, message_status_updates 50, dlq 3, RF 3,
/// min.insync.replicas 2) show the same leaders, replicas and ISRs as `GET /state`, through a
/// broker stop and restart.
@Suite(.enabled(if: Kcat.available, "needs /usr/bin/kcat"), .timeLimit(.minutes(1)))
struct KcatIntegrationTests {
    static let lagTime = 3.0

    func kcat(_ bootstrap: String) async throws -> Kcat.View {
        try await TestCluster.offPool { try Kcat.metadata(bootstrap) }
    }

    @Test func kcatSeesWhatStateReportsThroughABrokerStopAndRestart() async throws {
        let sim = try await TestCluster.start(timing: ReplicationTiming(
            replicaLagTime: .seconds(Self.lagTime), catchUpDelay: .milliseconds(500), preferredLeaderDelay: .milliseconds(500)))
        do {
            try await checkStopAndRestart(sim)
        } catch {
            await sim.close()
            throw error
        }
        await sim.close()
    }

    private func checkStopAndRestart(_ sim: TestCluster.Running) async throws {
        let initial = try await kcat(sim.bootstrap)
        let state = try await sim.state()
        #expect(initial == Kcat.view(of: state))
        #expect(initial.topics.mapValues(\.count) == ["messages": 100, "file_merge_requests": 50,
                                                      "message_status_updates": 50, "dlq": 3])
        #expect(state.topics.allSatisfy { $0.configs["min.insync.replicas"] == "2" })
        #expect(initial.topics.values.joined().allSatisfy { $0.leader == $0.replicas[0] && $0.isr.count == 3 })

        // Broker 2 stops: gone from metadata at once, leads nothing, but stays in the ISRs
        // until the replica lag time passes.
        let stopped = Date()
        #expect(try await HTTP.request("POST", "\(sim.controlURL)/brokers/2/stop").status == 200)
        let afterStop = try await kcat(sim.bootstrap)
        let quick = Date().timeIntervalSince(stopped) < Self.lagTime
        #expect(Set(afterStop.brokers.keys) == [1, 3])
        #expect(afterStop.topics.values.joined().allSatisfy { $0.leader != 2 && $0.leader != -1 })
        if quick { #expect(afterStop.topics.values.joined().allSatisfy { $0.isr.contains(2) }) }

        var shrunk = afterStop
        #expect(try await TestCluster.eventually(timeout: 10) {
            shrunk = try await kcat(sim.bootstrap)
            return shrunk.topics.values.joined().allSatisfy { !$0.isr.contains(2) }
        })
        #expect(Date().timeIntervalSince(stopped) >= Self.lagTime)
        #expect(shrunk == Kcat.view(of: try await sim.state()))

        // Broker 2 starts: back in metadata, ISRs whole after catch-up, preferred leaders back.
        #expect(try await HTTP.request("POST", "\(sim.controlURL)/brokers/2/start").status == 200)
        var healed = shrunk
        #expect(try await TestCluster.eventually(timeout: 10) {
            healed = try await kcat(sim.bootstrap)
            return healed.topics.values.joined().allSatisfy { $0.isr.count == 3 && $0.leader == $0.replicas[0] }
        })
        #expect(Set(healed.brokers.keys) == [1, 2, 3])
        #expect(healed.brokers == initial.brokers, "broker 2 is back on its old port")
        #expect(healed == Kcat.view(of: try await sim.state()))
    }

    /// The failure matrix's third row through kcat: broker 3 lags out of the ISRs it follows in,
    /// then brokers 1 and 2 stop; only partitions led by 3 keep a leader, the rest show -1.
    @Test func aLaggingBrokerThenTwoStoppedBrokersLeaveOfflinePartitions() async throws {
        let sim = try await TestCluster.start(
            topics: [TopicSpec(name: "dlq", partitions: 6, replicationFactor: 3)],
            timing: ReplicationTiming(replicaLagTime: .seconds(1), catchUpDelay: .milliseconds(300),
                                      preferredLeaderDelay: .milliseconds(300)))
        try await sim.cluster.slowBroker(3, latency: .zero, lagging: true)
        var view = try await kcat(sim.bootstrap)
        #expect(try await TestCluster.eventually(timeout: 10) {
            view = try await kcat(sim.bootstrap)
            return view.topics["dlq"]!.allSatisfy { $0.isr.contains(3) == ($0.leader == 3) }
        })
        try await sim.cluster.stopBroker(1)
        try await sim.cluster.stopBroker(2)
        view = try await kcat(sim.bootstrap)
        let partitions = view.topics["dlq"]!
        #expect(Set(view.brokers.keys) == [3])
        #expect(partitions.filter { $0.leader == 3 }.count == 2)
        #expect(partitions.filter { $0.leader == -1 }.count == 4)
        #expect(partitions.allSatisfy { $0.leader == -1 ? !$0.isr.contains(3) : $0.leader == 3 })
        // Leaders and replicas are stable from here on (ISRs of partitions led by 3 shrink later).
        let state = Kcat.view(of: try await sim.state())
        #expect(partitions.map(\.leader) == state.topics["dlq"]!.map(\.leader))
        #expect(partitions.map(\.replicas) == state.topics["dlq"]!.map(\.replicas))
        await sim.close()
    }
}
