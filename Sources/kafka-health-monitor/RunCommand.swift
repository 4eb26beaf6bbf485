import ArgumentParser
import Foundation
import Logging

/// `kafka-health-monitor run`: collect, store, evaluate, notify and serve HTTP.
///
/// Configuration is layered: flags, then the original service's environment variables,
/// then the config file, then defaults. Any user error exits 2 with one line per problem
/// before anything starts.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the monitor.")

    @Option(name: .customLong("config.file"), help: "The YAML config file.")
    var configFile: String?
    @Option(name: .customLong("kafka.bootstrap-servers"), help: "host:port[,host:port…]")
    var bootstrapServers: String?
    @Option(name: .customLong("kafka.expected-brokers"), help: "Expected broker ids, e.g. 1,2,3 (default: learned).")
    var expectedBrokers: String?
    @Option(name: .customLong("collect.interval"), help: "Time between collections, e.g. 30s.")
    var collectInterval: String?
    @Option(name: .customLong("web.listen-address"), help: "host:port to serve HTTP on (default 0.0.0.0:9090).")
    var listenAddress: String?
    @Option(name: .customLong("rules.file"), help: "Rule file glob (repeatable).")
    var ruleFiles: [String] = []
    @Option(name: .customLong("storage.path"), help: "Directory for the store's snapshots.")
    var storagePath: String?
    @Option(name: .customLong("storage.retention"), help: "History kept, e.g. 1h.")
    var storageRetention: String?

    func run() async throws {
        LoggingBootstrap.once()
        let logger = Logger(label: "kafka-health-monitor")
        let source = configurationSource()
        let configuration = try Self.exitingOnUserError { try source() }
        let app = try Self.exitingOnUserError { () throws(ConfigErrors) -> MonitorApp in
            try MonitorApp(configuration: configuration, logger: logger, reloadSource: source)
        }
        try await app.run()
    }

    /// Resolves the configuration (flags over environment over file over defaults) from these flags, the environment and the config file as
    /// they are at the time of the call: at start, and again on every reload.
    func configurationSource() -> ConfigReloader.Source {
        let file = configFile
        let flags = MonitorConfiguration.Flags(
            bootstrapServers: bootstrapServers, expectedBrokers: expectedBrokers, collectInterval: collectInterval,
            listenAddress: listenAddress, ruleFiles: ruleFiles, storagePath: storagePath,
            storageRetention: storageRetention)
        return {
            var configuration = try file.map(ConfigFile.load) ?? MonitorConfiguration()
            try configuration.apply(environment: ProcessInfo.processInfo.environment)
            try configuration.apply(flags: flags)
            return configuration
        }
    }

    /// Runs `body`; a user error is printed (one line per problem) and exits 2.
    static func exitingOnUserError<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let errors as ConfigErrors {
            FileHandle.standardError.write(Data((errors.description + "\n").utf8))
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
        }
        throw ExitCode(2)
    }
}
