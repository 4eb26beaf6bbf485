import Foundation
import Testing
@testable import Notify
import TestSupport

/// Against the real thing: our `alertmanager` receiver feeds a real Alertmanager, whose own
/// webhook and ours go to the same test receiver, so their JSON can be compared.
@Suite("Compatibility with a real Alertmanager", .serialized, .timeLimit(.minutes(1)),
       .enabled(if: RealAlertmanager.available, "prometheus-alertmanager is not installed"))
struct AlertmanagerCompatibilityTests {
    private let brokers = ["1", "2"].map { id in
        NotifyAlert(labels: ["alertname": "KafkaBrokerOffline", "broker_id": id, "severity": "critical"],
                    annotations: ["summary": "Broker \(id) is offline", "runbook": "https://runbooks.example/kafka"],
                    startsAt: liveStart, generatorURL: "http://monitor.test:9090/graph?g0.expr=kafka_broker_online")
    }

    @Test("alerts reach Alertmanager, its webhook matches ours key for key, and endsAt resolves them")
    func endToEnd() async throws {
        let server = try HTTPReceiver()
        defer { server.stop() }
        let alertmanager = try await RealAlertmanager(webhookURL: "http://127.0.0.1:\(server.port)/from-alertmanager")
        defer { alertmanager.stop() }
        var ours = webhookReceiver("test", port: server.port)
        ours.url = "http://127.0.0.1:\(server.port)/from-us"
        let am = ReceiverConfig(name: "am", type: .alertmanager, urls: [alertmanager.url])
        let harness = try DeliveryHarness([am, ours])
        defer { harness.finish() }

        await harness.dispatcher.send(brokers)
        let held = try await eventuallyValue(timeout: 10) { () -> [[String: Any]]? in
            let alerts = try await alertmanager.alerts()
            return alerts.count == 2 ? alerts : nil
        }
        let labelSets = Set(held.map { $0["labels"] as? [String: String] ?? [:] })
        #expect(labelSets == Set(brokers.map(\.labels)))
        #expect(Set(held.compactMap { $0["fingerprint"] as? String }) == Set(brokers.map(\.fingerprintHex)),
                "our fingerprints are Alertmanager's")

        let theirs = try #require(await request(to: "/from-alertmanager", on: server, status: "firing"))
        let mine = try #require(await request(to: "/from-us", on: server, status: "firing"))
        #expect(keyPaths(mine).subtracting(keyPaths(theirs)) == [], "keys only we send")
        #expect(keyPaths(theirs).subtracting(keyPaths(mine)) == [], "keys only Alertmanager sends")
        for key in ["groupKey", "version", "status"] {
            #expect(mine[key] as? String == theirs[key] as? String, "\(key)")
        }
        for key in ["groupLabels", "commonLabels", "commonAnnotations"] {
            #expect(mine[key] as? [String: String] == theirs[key] as? [String: String], "\(key)")
        }
        let fingerprints = { (message: [String: Any]) in
            Set((message["alerts"] as? [[String: Any]] ?? []).compactMap { $0["fingerprint"] as? String })
        }
        #expect(fingerprints(mine) == fingerprints(theirs))
        let firingEnds = (theirs["alerts"] as? [[String: Any]] ?? []).compactMap { $0["endsAt"] as? String }
        #expect(Set(firingEnds) == [RFC3339.zeroTime], "Alertmanager also zeroes endsAt while firing")

        await harness.dispatcher.send(brokers.map { var a = $0; a.endsAt = Date(); return a })
        let cleared = try await HTTP.eventually(timeout: 10) { try await alertmanager.alerts().isEmpty }
        #expect(cleared, "Alertmanager no longer holds them as active")
        let resolvedTheirs = try #require(await request(to: "/from-alertmanager", on: server, status: "resolved", alerts: nil))
        let resolvedMine = try #require(await request(to: "/from-us", on: server, status: "resolved", alerts: nil),
                                        "received: \(server.received.map { "\($0.path) \(groupAndStatus($0))" }); logs: \(harness.logs.all)")
        // The resolved messages may hold different alerts (see `request`): compare the message
        // structure, not the label names inside the label maps.
        let structure = { (message: [String: Any]) in
            keyPaths(message).filter { path in
                !["labels.", "annotations.", "Labels.", "Annotations."].contains { path.contains($0) }
            }
        }
        #expect(structure(resolvedMine) == structure(resolvedTheirs))
        #expect(structure(resolvedMine).contains("alerts[].endsAt"))
    }

    /// The first webhook message POSTed to `path` with `status` and `alerts` alerts (any number
    /// if nil), waiting up to 10 s. (Alertmanager may first notify about one alert: it flushes
    /// a group at once when an alert is older than group_wait, possibly before the second
    /// alert of our POST is in.)
    private func request(to path: String, on server: HTTPReceiver, status: String, alerts: Int? = 2) async -> [String: Any]? {
        try? await eventuallyValue(timeout: 10) {
            server.received.filter { $0.path == path }.map(webhookMessage).first {
                $0["status"] as? String == status && (alerts == nil || ($0["alerts"] as? [Any])?.count == alerts)
            }
        }
    }
}

/// Polls `produce` every 100 ms until it returns a value or `timeout` seconds pass.
func eventuallyValue<T>(timeout: TimeInterval, _ produce: () async throws -> T?) async throws -> T {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let value = try? await produce() { return value }
        try await Task.sleep(nanoseconds: 100_000_000)
    }
    guard let value = try await produce() else { throw CancellationError() }
    return value
}
