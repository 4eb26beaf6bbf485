import Foundation
import Testing
@testable import Notify
import TestSupport

/// Each receiver type end to end: what arrives at the endpoint for a firing, then resolved,
/// alert.
@Suite("Receiver types end to end", .serialized, .timeLimit(.minutes(1)))
struct ReceiverTypeTests {
    /// Fires `A`, resolves it after group_interval, returns the two request bodies.
    private func fireAndResolve(_ config: ReceiverConfig, server: HTTPReceiver) async throws -> [[String: Any]] {
        var config = config
        config.groupBy = ["alertname"]
        config.groupWait = PrometheusDuration(milliseconds: 0)
        config.groupInterval = PrometheusDuration(milliseconds: 50)
        let harness = try DeliveryHarness([config])
        defer { harness.finish() }
        await harness.dispatcher.send([firing("A")])
        try await Task.sleep(nanoseconds: 100_000_000)
        await harness.dispatcher.send([resolved("A")])
        let requests = await server.waitFor(2, timeout: 5)
        return requests.map { (try? JSONSerialization.jsonObject(with: $0.body)) as? [String: Any] ?? [:] }
    }

    @Test("pagerduty: trigger then resolve under one dedup_key, routing key from a file")
    func pagerduty() async throws {
        let server = try HTTPReceiver()
        defer { server.stop() }
        let keyFile = try TestPaths.temporaryDirectory("khm-pd").appendingPathComponent("key")
        try "R0UT1NG\n".write(to: keyFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: keyFile.deletingLastPathComponent()) }
        var config = ReceiverConfig(name: "pd", type: .pagerduty, url: "http://127.0.0.1:\(server.port)/v2/enqueue")
        config.routingKeyFile = keyFile.path
        let events = try await fireAndResolve(config, server: server)
        try #require(events.count == 2)
        #expect(events.map { $0["event_action"] as? String } == ["trigger", "resolve"])
        #expect(events.allSatisfy { $0["routing_key"] as? String == "R0UT1NG" })
        #expect(events[0]["dedup_key"] as? String == events[1]["dedup_key"] as? String)
        #expect((events[0]["payload"] as? [String: Any])?["summary"] as? String == "A is broken")
    }

    @Test("slack: danger then good")
    func slack() async throws {
        let server = try HTTPReceiver()
        defer { server.stop() }
        var config = ReceiverConfig(name: "chat", type: .slack, url: "http://127.0.0.1:\(server.port)/services/T/B/X")
        config.channel = "#kafka"
        let messages = try await fireAndResolve(config, server: server)
        try #require(messages.count == 2)
        let colors = messages.map { ($0["attachments"] as? [[String: Any]])?.first?["color"] as? String }
        #expect(colors == ["danger", "good"])
        #expect(messages.allSatisfy { $0["channel"] as? String == "#kafka" })
    }

    @Test("alertmanager: every URL gets the alerts, firing with a future endsAt, then resolved")
    func alertmanagerPair() async throws {
        let first = try HTTPReceiver(), second = try HTTPReceiver()
        defer { first.stop(); second.stop() }
        let config = ReceiverConfig(name: "am", type: .alertmanager,
                                    urls: ["http://127.0.0.1:\(first.port)", "http://127.0.0.1:\(second.port)/"])
        let harness = try DeliveryHarness([config])
        defer { harness.finish() }
        let sent = Date()
        await harness.dispatcher.send([firing("A")])
        await harness.dispatcher.send([resolved("A")])
        for server in [first, second] {
            let requests = await server.waitFor(2, timeout: 5)
            try #require(requests.count == 2)
            #expect(requests.allSatisfy { $0.path == "/api/v2/alerts" })
            let bodies = requests.map { (try? JSONSerialization.jsonObject(with: $0.body)) as? [[String: Any]] ?? [] }
            let ends = bodies.map { $0.first?["endsAt"] as? String ?? "" }
            #expect(ends[0] > RFC3339.format(sent.addingTimeInterval(200)), "firing: endsAt about 4 minutes ahead")
            #expect(ends[1] < RFC3339.format(Date()), "resolved: endsAt in the past")
        }
        #expect(await harness.waitForMetrics("am") { $0.notificationsTotal == 4 && $0.queueLength == 0 })
    }
}
