import Foundation
import Testing
import TestSupport

/// The built executable against librdkafka's mock cluster over TCP, scraped over HTTP.
@Suite(.serialized) struct RunCommandEndToEndTests {
    @Test(.timeLimit(.minutes(1)))
    func servesTheContractAndSeesOfflinePartitionsWithinTwoIntervals() async throws {
        let mock = try MockKafkaCluster.original()
        let monitor = try MonitorProcess(["--kafka.bootstrap-servers=\(mock.bootstrapServers)",
                                          "--collect.interval=1s"])
        var text = try await monitor.metrics(within: 15) { Exposition.value(of: "kafka_cluster_topics", in: $0) == 4 }
        #expect(Exposition.value(of: "kafka_up", in: text) == 1)
        #expect(Exposition.value(of: "kafka_cluster_brokers", in: text) == 3)
        #expect(Exposition.value(of: "kafka_cluster_topics", in: text) == 4)
        #expect(Exposition.value(of: #"kafka_under_replicated_partitions{topic="__total__"}"#, in: text) == 0)
        let online = Exposition.lines(of: "kafka_broker_online", in: text)
        #expect(online.count == 3)
        for id in 1...3 {
            #expect(online.contains { $0.hasPrefix(#"kafka_broker_online{broker_id="\#(id)",host="127.0.0.1",port=""#) && $0.hasSuffix("} 1") })
        }
        #expect(try await monitor.get("/-/ready").status == 200)
        #expect(try await monitor.get("/-/healthy").status == 200)
        #expect(try await monitor.get("/").body.contains("kafka-health-monitor"))

        // "Within two intervals", counted in collections rather than seconds: the collection
        // in flight when the leaders go may miss it; the one after must see it.
        let collected = "kafka_health_monitor_collections_total"
        let before = try #require(Exposition.value(of: collected, in: try await monitor.get("/metrics").body))
        try mock.setLeader("messages", partition: 3, broker: -1)
        try mock.setLeader("messages", partition: 4, broker: -1)
        text = try await monitor.metrics(within: 10) {
            Exposition.value(of: #"kafka_offline_partitions{topic="messages"}"#, in: $0) == 2
        }
        #expect(Exposition.value(of: #"kafka_offline_partitions{topic="messages"}"#, in: text) == 2)
        #expect(try #require(Exposition.value(of: collected, in: text)) <= before + 2)
        #expect(monitor.log.contains("2 partitions offline"))
        #expect(try await monitor.terminate() == 0, "SIGTERM shuts down gracefully")
    }

    @Test(.timeLimit(.minutes(1)), .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool")))
    func promtoolFindsNothingToReportAndOpenMetricsIsNegotiated() async throws {
        let mock = try MockKafkaCluster.original()
        try mock.setLeader("dlq", partition: 0, broker: -1)
        let monitor = try MonitorProcess(["--kafka.bootstrap-servers=\(mock.bootstrapServers)",
                                          "--collect.interval=300ms"])
        let text = try await monitor.metrics(within: 15) { Exposition.value(of: "kafka_cluster_topics", in: $0) == 4 }
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let openMetrics = try await monitor.get("/metrics", headers: ["Accept": "application/openmetrics-text; version=1.0.0"])
        #expect(openMetrics.headers["content-type"]?.hasPrefix("application/openmetrics-text") == true)
        #expect(openMetrics.body.hasSuffix("# EOF\n"))
        #expect(openMetrics.body.contains("# TYPE kafka_isr_shrink_events counter\n"))
        #expect(openMetrics.body.contains(#"kafka_isr_shrink_events_total{topic="dlq",partition="0"} 0"#))
        // promtool lints the Prometheus text format (its parser is not an OpenMetrics one).
        let file = directory.appendingPathComponent("metrics.txt")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let result = try await Command.run("/bin/sh", ["-c", "/usr/bin/promtool check metrics < '\(file.path)'"], timeout: 30)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.isEmpty && result.stderr.isEmpty, "promtool reported: \(result.stdout)\(result.stderr)")
        #expect(Exposition.value(of: #"kafka_offline_partitions{topic="dlq"}"#, in: text) == 1)
    }

    /// Whether Debian's python3-prometheus-client (a strict OpenMetrics parser) is installed
    /// (for /usr/bin/python3: a pyenv python3 on PATH would not see it).
    static let openMetricsParser: Bool = {
        (try? Command.run("/usr/bin/python3", ["-c", "import prometheus_client.openmetrics.parser"],
                          timeout: 30).status) == 0
    }()

    @Test(.timeLimit(.minutes(1)), .enabled(if: openMetricsParser))
    func openMetricsOutputParsesWithPrometheusClientsStrictParser() async throws {
        let mock = try MockKafkaCluster.original()
        let monitor = try MonitorProcess(["--kafka.bootstrap-servers=\(mock.bootstrapServers)", "--collect.interval=300ms"])
        _ = try await monitor.metrics(within: 15) { Exposition.value(of: "kafka_cluster_topics", in: $0) == 4 }
        let body = try await monitor.get("/metrics", headers: ["Accept": "application/openmetrics-text"]).body
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("metrics.om")
        try body.write(to: file, atomically: true, encoding: .utf8)
        let script = """
            import sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families
            families = list(text_string_to_metric_families(open(sys.argv[1]).read()))
            print(len(families))
            """
        let result = try await Command.run("/usr/bin/python3", ["-c", script, file.path], timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 > 20)
    }

    /// The brokers are unreachable at start (their ports are held, not listening: connections
    /// are refused), then a cluster comes up on exactly those ports.
    ///
    /// Not librdkafka's mock with rd_kafka_mock_broker_set_down: set_down closes the broker's
    /// listening socket and binds a new one to the same port, and when anything in the process
    /// got that port from the kernel in between (an outgoing connection, a port-0 server),
    /// librdkafka asserts and aborts the whole test process.
    @Test(.timeLimit(.minutes(1)))
    func unreachableAtStartServesKafkaUpZeroAndRecoversByItself() async throws {
        let brokers = UnreachableBrokers()
        let monitor = try MonitorProcess([], environment: [
            "KAFKA_BOOTSTRAP_SERVERS": brokers.bootstrapServers,
            "KAFKA_HEALTH_CHECK_INTERVAL": "0.3"])
        let down = try await monitor.metrics(within: 15) { Exposition.value(of: "kafka_up", in: $0) == 0 }
        #expect(Exposition.value(of: "kafka_up", in: down) == 0)
        #expect(try await monitor.get("/-/ready").status == 200)
        let cluster = try await brokers.comeUp()
        let up = try await monitor.metrics(within: 20) { Exposition.value(of: "kafka_cluster_brokers", in: $0) == 3 }
        #expect(Exposition.value(of: "kafka_up", in: up) == 1)
        #expect(Exposition.value(of: "kafka_health_monitor_collect_errors_total", in: up) ?? 0 >= 1)
        await cluster.shutdown()
    }

    @Test(.timeLimit(.minutes(1)))
    func storeIsSnapshottedOnShutdownAndRestoredOnStart() async throws {
        let mock = try MockKafkaCluster.original()
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = ["--kafka.bootstrap-servers=\(mock.bootstrapServers)", "--collect.interval=300ms",
                         "--storage.path=\(directory.path)"]
        let first = try MonitorProcess(arguments)
        _ = try await first.metrics(within: 15) { Exposition.value(of: "kafka_cluster_topics", in: $0) == 4 }
        #expect(try await first.terminate() == 0)
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("snapshot").path))
        let second = try MonitorProcess(arguments)
        _ = try await second.metrics(within: 15) { Exposition.value(of: "kafka_cluster_topics", in: $0) == 4 }
        #expect(second.log.contains("restored "), "\(second.log)")
    }

    @Test(.timeLimit(.minutes(1)))
    func disabledMonitoringServesHTTPWithoutCollecting() async throws {
        let monitor = try MonitorProcess([], environment: ["ENABLE_KAFKA_HEALTH_MONITORING": "false",
                                                           "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1"])
        let text = try await monitor.metrics(within: 15) { $0.contains("kafka_health_monitor_collections_total") }
        #expect(Exposition.value(of: "kafka_health_monitor_collections_total", in: text) == 0)
        #expect(Exposition.value(of: "kafka_up", in: text) == nil)
        #expect(try await monitor.get("/-/ready").status == 200)
    }
}
