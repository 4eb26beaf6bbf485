import Foundation
import Testing
import TestSupport

/// User errors in flags, environment and config files: `run` exits 2 with one positioned
/// line and starts nothing; `check config` follows promtool (0 valid, 1 invalid).
@Suite struct CommandLineTests {
    static let executable = TestPaths.product("kafka-health-monitor").path

    /// Runs the executable with a config file holding `yaml` (when given) as `$CONFIG`.
    static func run(_ arguments: [String], yaml: String? = nil, environment: [String: String] = [:]) async throws -> (CommandResult, String) {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("monitor.yml").path
        if let yaml { try yaml.write(toFile: config, atomically: true, encoding: .utf8) }
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        let args = arguments.map { $0.replacingOccurrences(of: "$CONFIG", with: config) }
        return (try await Command.run(executable, args, environment: env, timeout: 30), config)
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        let name: String
        let arguments: [String]
        var yaml: String? = nil
        var environment: [String: String] = [:]
        /// The expected stderr line; `$CONFIG` stands for the config file's path.
        let message: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        BadInput(name: "unknown flag", arguments: ["run", "--no-such-flag"], message: "Unknown option '--no-such-flag'"),
        BadInput(name: "bad duration flag", arguments: ["run", "--collect.interval=30"],
                 message: #"flag --collect.interval: invalid duration "30" (expected e.g. 500ms, 30s, 5m, 1h)"#),
        BadInput(name: "bad listen address", arguments: ["run", "--web.listen-address=nowhere"],
                 message: #"flag --web.listen-address: expected host:port, got "nowhere""#),
        BadInput(name: "bad expected brokers", arguments: ["run", "--kafka.expected-brokers=1,x"],
                 message: #"flag --kafka.expected-brokers: expected broker ids like 1,2,3, got "1,x""#),
        BadInput(name: "bad env port", arguments: ["run"], environment: ["METRICS_PORT": "http"],
                 message: #"environment variable METRICS_PORT: expected a port number, got "http""#),
        BadInput(name: "bad env interval", arguments: ["run"], environment: ["KAFKA_HEALTH_CHECK_INTERVAL": "30s"],
                 message: #"environment variable KAFKA_HEALTH_CHECK_INTERVAL: expected a number of seconds, got "30s""#),
        BadInput(name: "unknown config field", arguments: ["run", "--config.file=$CONFIG"],
                 yaml: "kafka:\n  bootstrap_server: [\"a:1\"]\n",
                 message: #"$CONFIG:2:3: unknown field "bootstrap_server" (expected one of: bootstrap_servers, expected_brokers, properties, default_min_insync_replicas)"#),
        BadInput(name: "bad config duration", arguments: ["run", "--config.file=$CONFIG"],
                 yaml: "collect:\n  interval: soon\n", message: #"$CONFIG:2:13: invalid duration "soon" (expected e.g. 500ms, 30s, 5m, 1h)"#),
        BadInput(name: "YAML syntax", arguments: ["run", "--config.file=$CONFIG"],
                 yaml: "kafka: [unclosed\n", message: "$CONFIG:2:1: YAML:"),
        BadInput(name: "refused librdkafka property", arguments: ["run", "--config.file=$CONFIG"],
                 yaml: "kafka:\n  properties:\n    no.such.property: x\n",
                 message: #"$CONFIG:3:23: librdkafka property "no.such.property": No such configuration property: "no.such.property""#),
        BadInput(name: "missing config file", arguments: ["run", "--config.file=/nonexistent.yml"],
                 message: "/nonexistent.yml:0:0: cannot read file"),
    ])
    func badInputExitsTwoWithOneClearLine(_ test: BadInput) async throws {
        let (result, config) = try await Self.run(test.arguments, yaml: test.yaml, environment: test.environment)
        #expect(result.status == 2, "\(result.stderr)")
        let expected = test.message.replacingOccurrences(of: "$CONFIG", with: config)
        #expect(result.stderr.contains(expected), "stderr: \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        #expect(!result.stderr.contains("listening"), "nothing may start")
    }

    static let goodConfig = """
        kafka:
          bootstrap_servers: ["kafka-1:9092", "kafka-2:9093", "kafka-3:9094"]
          expected_brokers: [1, 2, 3]
          properties:
            security.protocol: SASL_SSL
            sasl.mechanism: SCRAM-SHA-512
        collect:
          interval: 30s
        storage:
          path: /var/lib/kafka-health-monitor
          retention: 1h
        rule_files: ["rules/*.rules.yml"]
        web:
          listen_address: 0.0.0.0:9090
          external_url: http://monitor.example:9090
        receivers:
          - name: oncall
            type: webhook
            url: https://hooks.example/kafka
            match: {severity: critical}
            send_resolved: true
            group_by: [alertname]
          - name: am
            type: alertmanager
            urls: ["http://alertmanager-1:9093", "http://alertmanager-2:9093"]

        """

    @Test func checkConfigAcceptsTheDesignExample() async throws {
        let (result, _) = try await Self.run(["check", "config", "$CONFIG"], yaml: Self.goodConfig)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("SUCCESS"))
    }

    @Test func checkConfigReportsEveryProblemAndExitsOne() async throws {
        let (result, config) = try await Self.run(["check", "config", "$CONFIG"],
                                            yaml: "collect:\n  interval: -1s\nweb:\n  listen_address: nowhere\nextra: 1\n")
        #expect(result.status == 1)
        #expect(result.stderr == """
            \(config):2:13: invalid duration "-1s" (expected e.g. 500ms, 30s, 5m, 1h)
            \(config):4:19: invalid listen address "nowhere": expected host:port
            \(config):5:1: unknown field "extra" (expected one of: kafka, collect, storage, rule_files, web, receivers)

            """)
    }

    /// Prometheus's duration syntax, as `check config` judges `collect.interval`.
    @Test(arguments: [
        ("500ms", true), ("30s", true), ("5m", true), ("1h", true), ("1h30m", true), ("1d", true),
        ("30", false), ("1m1h", false), ("1.5s", false), ("5 m", false), ("0s", false), ("s", false),
    ])
    func durationSyntax(_ duration: String, _ valid: Bool) async throws {
        let (result, _) = try await Self.run(["check", "config", "$CONFIG"], yaml: "collect:\n  interval: \"\(duration)\"\n")
        #expect(result.status == (valid ? 0 : 1), "\(duration): \(result.stderr)")
    }
}
