import Foundation
import Testing
import TestSupport

/// The product's promise, end to end with the built executables: `kafka-sim` plays the
/// cluster, `kafka-health-monitor run` watches it with the repo's rules and pages a webhook;
/// a broker stops → a firing page for that broker; it starts → the page resolves.
///
/// The rules are `rules/kafka-ha.rules.yml` with every `for:` cut to 1s (the shipped 1–2
/// minutes would make the test slow; docs/operations.md gives the time-to-page with them).
@Suite(.serialized) struct EndToEndAlertingTests {
    /// The shipped rules with `for:` shortened, in a fresh directory (which the test may add
    /// a broken rule file to).
    static func fastRules(in directory: URL) throws -> URL {
        let shipped = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("rules/kafka-ha.rules.yml"), encoding: .utf8)
        let fast = shipped.replacingOccurrences(of: #"for: \d+[smh]"#, with: "for: 1s", options: .regularExpression)
        let file = directory.appendingPathComponent("kafka-ha.rules.yml")
        try fast.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The alerts of the webhook messages received so far, as (status, labels) pairs.
    static func alerts(in requests: [HTTPReceiver.Request]) -> [(status: String, labels: [String: String], at: Date)] {
        requests.flatMap { request -> [(status: String, labels: [String: String], at: Date)] in
            guard let message = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any],
                  let alerts = message["alerts"] as? [[String: Any]] else { return [] }
            return alerts.map { (($0["status"] as? String) ?? "", ($0["labels"] as? [String: String]) ?? [:], request.receivedAt) }
        }
    }

    /// Waits until the receiver has an alert `alertname` for broker 2 in `status`; returns when it arrived.
    static func page(_ receiver: HTTPReceiver, _ alertname: String, _ status: String, within timeout: TimeInterval) async throws -> Date? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let hit = alerts(in: receiver.received).first(where: {
                $0.status == status && $0.labels["alertname"] == alertname && $0.labels["broker_id"] == "2"
            }) { return hit.at }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    @Test(.timeLimit(.minutes(2)))
    func aStoppedBrokerPagesAndItsRestartResolves() async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try Self.fastRules(in: directory)
        let receiver = try HTTPReceiver()
        defer { receiver.stop() }
        let config = directory.appendingPathComponent("config.yml")
        try """
            receivers:
              - name: oncall
                type: webhook
                url: http://127.0.0.1:\(receiver.port)/hook
                group_by: [alertname, broker_id]
                group_wait: 0s
                group_interval: 1s
            """.write(to: config, atomically: true, encoding: .utf8)
        let simulator = try EndToEndSimulator(replicaLagTime: "2s")
        let monitor = try MonitorProcess([
            "--config.file=\(config.path)", "--kafka.bootstrap-servers=\(simulator.bootstrapServers)",
            "--collect.interval=500ms", "--rules.file=\(directory.path)/*.rules.yml",
            "--storage.path=\(directory.appendingPathComponent("data").path)",
        ])

        // Live data through the query API.
        let online = "/api/v1/query?query=sum(kafka_broker_online)"
        #expect(try await HTTP.eventually(timeout: 20, interval: 0.1) {
            try await monitor.get(online).body.contains(#","3"]"#)
        }, "three brokers online: \(monitor.log)")
        #expect(monitor.log.contains("kafka-ha.rules.yml: 1 groups, 7 rules"))

        // Stop broker 2: a firing page for it.
        let stopped = Date()
        #expect(try await simulator.broker(2, "stop").status == 200)
        let fired = try #require(try await Self.page(receiver, "KafkaBrokerOffline", "firing", within: 30),
                                 "no firing KafkaBrokerOffline page: \(monitor.log)")
        print("time to page (stop broker 2 → webhook received, for: 1s, collect 500ms): "
              + String(format: "%.2f s", fired.timeIntervalSince(stopped)))
        let alerts = try await monitor.get("/api/v1/alerts").body
        #expect(alerts.contains(#""alertname":"KafkaBrokerOffline","broker_id":"2""#) && alerts.contains(#""state":"firing""#))

        // A broken rule file on reload: refused with its position, the old rules stay.
        let broken = directory.appendingPathComponent("broken.rules.yml")
        try "groups:\n  - name: broken\n    rules:\n      - alert: X\n        expr: sum(\n".write(to: broken, atomically: true, encoding: .utf8)
        let reload = try await HTTP.request("POST", "http://127.0.0.1:\(monitor.port)/-/reload")
        #expect(reload.status == 500)
        #expect(reload.body.contains("broken.rules.yml:5:"), "\(reload.body)")
        #expect(try await monitor.get("/metrics").body.contains("kafka_health_monitor_config_last_reload_successful 0"))
        #expect(try await monitor.get("/api/v1/rules").body.contains(#""name":"KafkaBrokerOffline""#))
        try FileManager.default.removeItem(at: broken)
        #expect(try await HTTP.request("POST", "http://127.0.0.1:\(monitor.port)/-/reload").status == 200)
        #expect(try await monitor.get("/metrics").body.contains("kafka_health_monitor_config_last_reload_successful 1"))

        // Start it again: the page resolves.
        let started = Date()
        #expect(try await simulator.broker(2, "start").status == 200)
        let resolved = try #require(try await Self.page(receiver, "KafkaBrokerOffline", "resolved", within: 30),
                                    "no resolved KafkaBrokerOffline page: \(monitor.log)")
        print("time to resolve (start broker 2 → webhook received): " + String(format: "%.2f s", resolved.timeIntervalSince(started)))
        #expect(try await monitor.terminate() == 0, "SIGTERM shuts down gracefully")
    }

    @Test(.timeLimit(.minutes(1)))
    func anInvalidRuleFileExitsTwoWithItsPositionBeforeAnythingStarts() async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bad.rules.yml")
        try "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up ==\n        for: 1x\n".write(to: file, atomically: true, encoding: .utf8)
        let port = Ports.free()
        let result = try await Command.run(TestPaths.product("kafka-health-monitor").path, [
            "run", "--rules.file=\(file.path)", "--web.listen-address=127.0.0.1:\(port)",
            "--kafka.bootstrap-servers=127.0.0.1:1",
        ], timeout: 30)
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file.path):5:"), "\(result.stderr)")
        #expect(result.stderr.contains("\(file.path):6:"), "every error, not only the first: \(result.stderr)")
        #expect(!result.stderr.contains("Server started"))
    }

    @Test(.timeLimit(.minutes(1)))
    func badReceiversAndRuleFilesAreReportedTogetherWithPositions() async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("config.yml")
        try """
            receivers:
              - name: oncall
                type: webhook
                colour: red
                url: http://127.0.0.1:1/hook
                group_wait: 3x
            """.write(to: config, atomically: true, encoding: .utf8)
        let missing = directory.appendingPathComponent("missing.rules.yml").path
        let result = try await Command.run(TestPaths.product("kafka-health-monitor").path, [
            "run", "--config.file=\(config.path)", "--rules.file=\(missing)", "--web.listen-address=127.0.0.1:\(Ports.free())",
        ], timeout: 30)
        #expect(result.status == 2)
        #expect(result.stderr.components(separatedBy: "\n").filter { !$0.isEmpty } == [
            "\(config.path):4:5: unknown receiver field \"colour\"",
            "\(config.path):6:17: group_wait: invalid duration \"3x\": unknown unit \"x\"",
            "\(missing): cannot read file",
        ], "\(result.stderr)")
    }

    @Test(.timeLimit(.minutes(1)))
    func theQueryAPIAnswersLikePrometheus() async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rules = try Self.fastRules(in: directory)
        let simulator = try EndToEndSimulator(replicaLagTime: "2s")
        let monitor = try MonitorProcess(["--kafka.bootstrap-servers=\(simulator.bootstrapServers)",
                                          "--collect.interval=300ms", "--rules.file=\(rules.path)"])
        #expect(try await HTTP.eventually(timeout: 20, interval: 0.1) {
            try await monitor.get("/api/v1/query?query=kafka_cluster_topics").body.contains(#","4"]"#)
        })
        let now = Date().timeIntervalSince1970
        let range = try await monitor.get("/api/v1/query_range?query=kafka_up&start=\(now - 2)&end=\(now)&step=0.5")
        #expect(range.status == 200)
        #expect(range.body.hasPrefix(#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"kafka_up"},"values":[["#))
        let posted = try await HTTP.request("POST", "http://127.0.0.1:\(monitor.port)/api/v1/query",
                                            body: "query=count(kafka_topic_partitions)",
                                            headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(posted.body.contains(#""resultType":"vector""#) && posted.body.contains(#","4"]"#), "\(posted.body)")
        let bad = try await monitor.get("/api/v1/query?query=sum(")
        #expect(bad.status == 400)
        #expect(bad.body.hasPrefix(#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: "#), "\(bad.body)")
        let labels = try await monitor.get("/api/v1/labels").body
        #expect(labels.contains(#""broker_id""#) && labels.contains(#""topic""#))
        let series = try await monitor.get("/api/v1/series?match%5B%5D=kafka_broker_online").body
        #expect(series.contains(#"{"__name__":"kafka_broker_online","broker_id":"1""#))
        #expect(try await monitor.get("/api/v1/rules").body.contains(#""name":"kafka-ha""#))
        let status = try await monitor.get("/").body
        #expect(status.contains("Rule groups") && status.contains("kafka-ha"))
    }
}
