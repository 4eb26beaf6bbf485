import Foundation
import Testing
import TestSupport

/// DESIGN.md's precedence, end to end: flags, then environment, then config file, then defaults.
@Suite(.serialized) struct ConfigPrecedenceTests {
    /// Nothing listens on port 1: a collector pointed there fails.
    static let nowhere = "127.0.0.1:1"

    static func withConfig(_ yaml: String, _ body: (String) async throws -> Void) async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("monitor.yml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        try await body(path)
    }

    static func up(_ monitor: MonitorProcess) async throws -> Double? {
        let text = try await monitor.metrics(within: 15) { Exposition.value(of: "kafka_cluster_brokers", in: $0) == 3 }
        return Exposition.value(of: "kafka_up", in: text)
    }

    @Test(.timeLimit(.minutes(1)))
    func environmentBeatsFileAndFlagBeatsEnvironment() async throws {
        let mock = try MockKafkaCluster.original()
        try await Self.withConfig("kafka:\n  bootstrap_servers: [\"\(Self.nowhere)\"]\ncollect:\n  interval: 300ms\n") { config in
            let envOverFile = try MonitorProcess(["--config.file=\(config)"],
                                                 environment: ["KAFKA_BOOTSTRAP_SERVERS": mock.bootstrapServers])
            #expect(try await Self.up(envOverFile) == 1)
            let flagOverEnv = try MonitorProcess(["--config.file=\(config)", "--kafka.bootstrap-servers=\(mock.bootstrapServers)"],
                                                 environment: ["KAFKA_BOOTSTRAP_SERVERS": Self.nowhere])
            #expect(try await Self.up(flagOverEnv) == 1)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func metricsPortOverridesTheFilesPortAndKeepsItsHost() async throws {
        let port = Ports.free()
        try await Self.withConfig("web:\n  listen_address: 127.0.0.1:\(Ports.free())\n") { config in
            let monitor = try MonitorProcess(["--config.file=\(config)"],
                                             environment: ["METRICS_PORT": "\(port)", "ENABLE_KAFKA_HEALTH_MONITORING": "false"],
                                             port: port)
            let text = try await monitor.metrics(within: 15) { $0.contains("kafka_health_monitor_collections_total") }
            #expect(text.contains("kafka_health_monitor_collections_total 0"))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func healthCheckIntervalInSecondsBeatsTheFile() async throws {
        try await Self.withConfig("collect:\n  interval: 1h\n") { config in
            let monitor = try MonitorProcess(["--config.file=\(config)"],
                                             environment: ["KAFKA_BOOTSTRAP_SERVERS": Self.nowhere,
                                                           "KAFKA_HEALTH_CHECK_INTERVAL": "0.2"])
            // With the file's 1h there would be one collection; at 0.2 s (backing off to at
            // most 0.8 s while failing) there are several within seconds.
            let text = try await monitor.metrics(within: 15) {
                (Exposition.value(of: "kafka_health_monitor_collections_total", in: $0) ?? 0) >= 3
            }
            #expect((Exposition.value(of: "kafka_health_monitor_collections_total", in: text) ?? 0) >= 3)
        }
    }
}
