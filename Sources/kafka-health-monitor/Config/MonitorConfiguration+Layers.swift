import Foundation

/// The layers above the config file: the original service's environment variables, then
/// the command-line flags. Each layer overrides only what it sets.
extension MonitorConfiguration {
    /// `KAFKA_BOOTSTRAP_SERVERS` (comma-separated), `KAFKA_HEALTH_CHECK_INTERVAL` (seconds),
    /// `METRICS_PORT`, `ENABLE_KAFKA_HEALTH_MONITORING` (true/false).
    mutating func apply(environment: [String: String]) throws(ConfigError) {
        if let servers = environment["KAFKA_BOOTSTRAP_SERVERS"], !servers.isEmpty {
            kafka.bootstrapServers = try Self.serverList(servers, .environment("KAFKA_BOOTSTRAP_SERVERS"))
        }
        if let interval = environment["KAFKA_HEALTH_CHECK_INTERVAL"], !interval.isEmpty {
            guard let seconds = Double(interval), seconds > 0, seconds.isFinite else {
                throw ConfigError(location: .environment("KAFKA_HEALTH_CHECK_INTERVAL"),
                                  message: "expected a number of seconds, got \"\(interval)\"")
            }
            collect.interval = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        if let port = environment["METRICS_PORT"], !port.isEmpty {
            guard let number = Int(port), (0...65535).contains(number) else {
                throw ConfigError(location: .environment("METRICS_PORT"), message: "expected a port number, got \"\(port)\"")
            }
            web.listenAddress.port = number
        }
        if let enabled = environment["ENABLE_KAFKA_HEALTH_MONITORING"], !enabled.isEmpty {
            switch enabled.lowercased() {
            case "true", "1", "yes", "on": collect.enabled = true
            case "false", "0", "no", "off": collect.enabled = false
            default:
                throw ConfigError(location: .environment("ENABLE_KAFKA_HEALTH_MONITORING"),
                                  message: "expected true or false, got \"\(enabled)\"")
            }
        }
    }

    /// The `run` flags that were given (nil for flags not given).
    struct Flags {
        var bootstrapServers: String?
        var expectedBrokers: String?
        var collectInterval: String?
        var listenAddress: String?
        var ruleFiles: [String] = []
        var storagePath: String?
        var storageRetention: String?
    }

    /// Applies the flags that were given.
    mutating func apply(flags: Flags) throws(ConfigError) {
        if let servers = flags.bootstrapServers {
            kafka.bootstrapServers = try Self.serverList(servers, .flag("kafka.bootstrap-servers"))
        }
        if let brokers = flags.expectedBrokers {
            let ids = brokers.split(separator: ",").map { Int32($0.trimmingCharacters(in: .whitespaces)) }
            guard !ids.isEmpty, ids.allSatisfy({ ($0 ?? -1) >= 0 }) else {
                throw ConfigError(location: .flag("kafka.expected-brokers"),
                                  message: "expected broker ids like 1,2,3, got \"\(brokers)\"")
            }
            kafka.expectedBrokers = ids.map { $0! }
        }
        if let interval = flags.collectInterval {
            collect.interval = try Self.positiveDuration(interval, .flag("collect.interval"))
        }
        if let address = flags.listenAddress {
            guard let parsed = ListenAddress(address) else {
                throw ConfigError(location: .flag("web.listen-address"), message: "expected host:port, got \"\(address)\"")
            }
            web.listenAddress = parsed
        }
        if !flags.ruleFiles.isEmpty { ruleFiles = flags.ruleFiles }
        if let path = flags.storagePath { storage.path = path }
        if let retention = flags.storageRetention {
            storage.retention = try Self.positiveDuration(retention, .flag("storage.retention"))
        }
    }

    static func serverList(_ text: String, _ location: ConfigError.Location) throws(ConfigError) -> [String] {
        let servers = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !servers.isEmpty, servers.allSatisfy({ $0.contains(":") }) else {
            throw ConfigError(location: location, message: "expected host:port[,host:port…], got \"\(text)\"")
        }
        return servers
    }

    static func positiveDuration(_ text: String, _ location: ConfigError.Location) throws(ConfigError) -> Duration {
        guard let duration = PrometheusDuration.parse(text), duration > .zero else {
            throw ConfigError(location: location, message: "invalid duration \"\(text)\" (expected e.g. 500ms, 30s, 5m, 1h)")
        }
        return duration
    }
}
