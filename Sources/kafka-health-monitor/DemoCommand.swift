import ArgumentParser
import Foundation
import Hummingbird
import KafkaSim
import Logging
import Notify

/// `kafka-health-monitor demo`: the whole monitor against a built-in simulated cluster
/// (KafkaSim: 3 brokers, the original service's four topics, RF 3, min.insync.replicas 2),
/// with the repo's rules (or built-in ones), a log receiver that prints every notification
/// to stdout, and the simulator's control API to break and heal brokers.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run against a built-in simulated 3-broker cluster.")

    @Option(name: .customLong("web.listen-address"), help: "host:port of the monitor's HTTP server.")
    var listenAddress = "127.0.0.1:9090"
    @Option(name: .customLong("collect.interval"), help: "Time between collections.")
    var collectInterval = "5s"
    @Option(name: .customLong("control-address"), help: "host:port of the simulator's control API (port 0: any free port).")
    var controlAddress = "127.0.0.1:0"
    @Option(name: .customLong("rules.file"), help: "Rule file glob (repeatable; default rules/*.rules.yml, else built-in rules).")
    var ruleFiles: [String] = []
    @Option(help: "A failure scenario (scenarios/*.yml) to play against the simulated cluster.")
    var scenario: String?
    @Option(name: .customLong("replica-lag-time"), help: "How long a stopped broker stays in ISRs.")
    var replicaLagTime = "10s"

    func run() async throws {
        LoggingBootstrap.once()
        let logger = Logger(label: "kafka-health-monitor")
        let (controlHost, controlPort) = try Self.hostPort(controlAddress, flag: "control-address")
        guard let lagTime = DurationSyntax.parse(replicaLagTime) else {
            throw ValidationError("--replica-lag-time: \"\(replicaLagTime)\" is not a duration like 10s")
        }
        let playbook: Scenario?
        do { playbook = try scenario.map { try Scenario.load(path: $0) } } catch { throw ValidationError("\(error)") }
        let workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("khm-demo-\(getpid())")
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workDirectory) }

        // The simulator logs every leader and ISR change at info: too much next to the pages.
        var simulatorLogger = Logger(label: "kafka-sim")
        simulatorLogger.logLevel = max(simulatorLogger.logLevel, .warning)
        let cluster = SimulatedCluster(configuration: .init(
            brokers: 3, topics: TopicSpec.originalService, timing: ReplicationTiming(replicaLagTime: lagTime)),
            logger: simulatorLogger)
        try await cluster.start()
        let control = ControlServer(cluster: cluster, host: controlHost, port: controlPort, logger: simulatorLogger)
        let boundControlPort: Int
        do { boundControlPort = try await control.start() } catch {
            await cluster.shutdown()
            throw ValidationError("--control-address \(controlAddress): \(error)")
        }
        do {
            let configuration = try demoConfiguration(bootstrap: await cluster.bootstrapServers, directory: workDirectory)
            let app = try RunCommand.exitingOnUserError { () throws(ConfigErrors) -> MonitorApp in
                try MonitorApp(configuration: configuration, logger: logger,
                               extraReceivers: [DemoNotificationPrinter.receiver(monitor: configuration.web.listenAddress)])
            }
            DemoNotificationPrinter.addRoute(to: app.service.router)
            printInstructions(configuration, rules: app.rules.files, controlHost: controlHost, controlPort: boundControlPort)
            let player = playbook.map { file in
                Task { await ScenarioPlayer(scenario: file, cluster: cluster, logger: logger).play() }
            }
            defer { player?.cancel() }
            try await app.run()
        } catch {
            await control.stop()
            await cluster.shutdown()
            throw error
        }
        await control.stop()
        await cluster.shutdown()
        FileHandle.standardOutput.write(Data("demo stopped.\n".utf8))
    }

    private func demoConfiguration(bootstrap: String, directory: URL) throws -> MonitorConfiguration {
        var configuration = MonitorConfiguration()
        try configuration.apply(flags: .init(
            bootstrapServers: bootstrap, expectedBrokers: "1,2,3", collectInterval: collectInterval,
            listenAddress: listenAddress, ruleFiles: ruleFiles, storagePath: directory.path))
        if ruleFiles.isEmpty && RuleFilePatterns.resolve([]).files.isEmpty {
            let file = directory.appendingPathComponent("built-in.rules.yml")
            try DemoRules.yaml.write(to: file, atomically: true, encoding: .utf8)
            configuration.ruleFiles = [file.path]
        }
        return configuration
    }

    private func printInstructions(_ configuration: MonitorConfiguration, rules: [String], controlHost: String, controlPort: Int) {
        let address = configuration.web.listenAddress
        let monitor = "http://\(address.host == "0.0.0.0" ? "127.0.0.1" : address.host):\(address.port)"
        let control = "http://\(controlHost):\(controlPort)"
        // Unbuffered, so that the instructions show at once even when stdout is a pipe.
        FileHandle.standardOutput.write(Data("""
            kafka-health-monitor demo: a simulated 3-broker Kafka cluster (topics messages, file_merge_requests,
            message_status_updates, dlq; RF 3, min.insync.replicas 2) at \(configuration.kafka.bootstrapServers.joined(separator: ","))

              monitor:      \(monitor)/   (status page)   \(monitor)/metrics   \(monitor)/api/v1/alerts
              rules:        \(rules.joined(separator: ", "))\(usesBuiltInRules(rules) ? " (built-in: no rules/ here)" : "")
              collect:      every \(PrometheusDuration.format(configuration.collect.interval))
              control API:  \(control)

            Break a broker and watch the page arrive here (after the rule's `for:`, 1m in the shipped rules):
              curl -s -XPOST \(control)/brokers/2/stop
              curl -s '\(monitor)/api/v1/query?query=kafka_broker_online'
            Bring it back and watch it resolve:
              curl -s -XPOST \(control)/brokers/2/start
            Cluster state: curl -s \(control)/state
            \(scenario.map { "Playing scenario \($0)." } ?? "Or replay a failure: kafka-health-monitor demo --scenario scenarios/one-broker-fails-and-recovers.yml")
            Ctrl-C stops everything.

            """.utf8))
    }

    private func usesBuiltInRules(_ files: [String]) -> Bool {
        files.count == 1 && files[0].hasSuffix("/built-in.rules.yml")
    }

    static func hostPort(_ text: String, flag: String) throws -> (String, Int) {
        guard let address = ListenAddress(text) else { throw ValidationError("--\(flag): \"\(text)\" is not HOST:PORT") }
        return (address.host, address.port)
    }
}
