import Foundation
import Testing
import TestSupport

/// `POST /-/reload` (and SIGHUP) on the running executable re-reads the receivers: a new webhook URL
/// takes the next notification, an invalid receiver is refused with its position while the
/// old one keeps paging, nothing already notified is sent again, and a restart-only setting
/// is reported as needing a restart.
///
/// Collection is off; the rules page by themselves: `Steady` fires once and stays, while
/// `Flapping` fires and resolves every second, so there is always a next notification.
@Suite(.serialized) struct ReloadEndToEndTests {
    static let rules = """
        groups:
          - name: reload
            rules:
              - alert: Steady
                expr: vector(1)
              - alert: Flapping
                expr: vector(time()) % 2 < 1

        """

    /// The config file: one webhook receiver to `port`, then `extra` lines.
    static func config(port: Int, extra: String = "") -> String {
        """
        receivers:
          - name: oncall
            type: webhook
            url: http://127.0.0.1:\(port)/hook
            group_by: [alertname]
            group_wait: 0s
            group_interval: 100ms
        \(extra)
        """
    }

    /// The alert names with statuses of the webhook messages `receiver` got after `since`.
    static func pages(_ receiver: HTTPReceiver, since: Date = .distantPast) -> [String] {
        receiver.received.filter { $0.receivedAt > since }.flatMap { request -> [String] in
            guard let message = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any],
                  let alerts = message["alerts"] as? [[String: Any]] else { return [] }
            return alerts.map { "\(($0["labels"] as? [String: String])?["alertname"] ?? "?") \($0["status"] as? String ?? "?")" }
        }
    }

    /// Waits (at most `timeout` s) until `receiver` got a `Flapping` page after `since`.
    static func nextFlappingPage(_ receiver: HTTPReceiver, after since: Date, timeout: TimeInterval = 10) async throws -> Bool {
        try await HTTP.eventually(timeout: timeout, interval: 0.05) {
            pages(receiver, since: since).contains { $0.hasPrefix("Flapping ") }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func reloadSwitchesReceiversOnlyWhenTheWholeConfigIsValid() async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let old = try HTTPReceiver(), new = try HTTPReceiver()
        defer { old.stop(); new.stop() }
        let rules = directory.appendingPathComponent("reload.rules.yml")
        try Self.rules.write(to: rules, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("config.yml")
        try Self.config(port: old.port).write(to: config, atomically: true, encoding: .utf8)
        let monitor = try MonitorProcess([
            "--config.file=\(config.path)", "--rules.file=\(rules.path)", "--collect.interval=250ms",
            "--storage.path=\(directory.appendingPathComponent("data").path)",
        ], environment: ["ENABLE_KAFKA_HEALTH_MONITORING": "false"])
        let reloadURL = "http://127.0.0.1:\(monitor.port)/-/reload"
        #expect(try await HTTP.eventually(timeout: 10, interval: 0.05) {
            Self.pages(old).contains("Steady firing") && Self.pages(old).contains { $0.hasPrefix("Flapping ") }
        }, "the old receiver is paged: \(monitor.log)")

        // An invalid receiver (line 8: an unknown field) on reload: refused with its position,
        // nothing changes, and the old receiver keeps being paged.
        try Self.config(port: new.port, extra: "    colour: red").write(to: config, atomically: true, encoding: .utf8)
        let refused = try await HTTP.request("POST", reloadURL)
        #expect(refused.status == 500)
        #expect(refused.body.contains("\(config.path):8:5: unknown receiver field \"colour\""), "\(refused.body)")
        #expect(monitor.log.contains("\(config.path):8:5: unknown receiver field \"colour\""), "logged with its position")
        #expect(try await monitor.get("/metrics").body.contains("kafka_health_monitor_config_last_reload_successful 0"))
        #expect(try await Self.nextFlappingPage(old, after: Date()), "the old receiver keeps being paged")
        #expect(new.received.isEmpty)

        // A valid one, which also changes a restart-only setting: the new URL takes over.
        try Self.config(port: new.port, extra: "web:\n  external_url: http://elsewhere.example:9090")
            .write(to: config, atomically: true, encoding: .utf8)
        let accepted = try await HTTP.request("POST", reloadURL)
        let switched = Date()
        #expect(accepted.status == 200)
        #expect(accepted.body.contains("receivers: 1 changed (oncall)"), "\(accepted.body)")
        #expect(accepted.body.contains("Needs restart (the running values stay until then): web.external_url"), "\(accepted.body)")
        let metricsAfter = try await monitor.get("/metrics").body
        #expect(metricsAfter.contains("kafka_health_monitor_config_last_reload_successful 1"))
        #expect(metricsAfter.contains("kafka_health_monitor_config_restart_needed 1"), "external_url changed")
        let oldCount = old.received.count
        #expect(try await Self.nextFlappingPage(new, after: switched), "the new receiver gets the next page: \(monitor.log)")
        #expect(try await Self.nextFlappingPage(new, after: Date()), "and the one after")
        #expect(old.received.count <= oldCount + 1, "at most the request in flight at the reload went to the old URL")

        // SIGHUP reloads the same way: back to the old URL.
        try Self.config(port: old.port).write(to: config, atomically: true, encoding: .utf8)
        let hungUp = Date()
        monitor.hangUp()
        #expect(try await Self.nextFlappingPage(old, after: hungUp), "SIGHUP: \(monitor.log)")
        #expect(monitor.log.contains("receivers: 1 changed (oncall). (SIGHUP)"))
        #expect(try await monitor.get("/metrics").body.contains("kafka_health_monitor_config_restart_needed 0"),
                "the file agrees with the running settings again")

        // Three reloads later, the steady alert was still notified once only.
        #expect((Self.pages(old) + Self.pages(new)).filter { $0 == "Steady firing" }.count == 1)
        #expect(try await monitor.terminate() == 0)
    }
}
