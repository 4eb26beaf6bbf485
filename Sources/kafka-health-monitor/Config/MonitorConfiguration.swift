import Yams

/// The monitor's whole configuration, after flags, environment, config file and defaults
/// were layered (in that order of precedence). DESIGN.md fixes its shape.
struct MonitorConfiguration: @unchecked Sendable {
    // @unchecked: `receivers` holds Yams nodes, immutable values that Yams does not mark Sendable.

    /// `kafka:`.
    var kafka = Kafka()
    /// `collect:`.
    var collect = Collect()
    /// `storage:`.
    var storage = Storage()
    /// `rule_files:` globs and `--rules.file` flags; loaded by the rule manager.
    var ruleFiles: [String] = []
    /// `web:`.
    var web = Web()
    /// `receivers:` as raw YAML nodes, for the notification dispatcher to interpret.
    var receivers: [Node] = []
    /// The config file `receivers:` came from, for positioned errors.
    var receiversFile = "<config>"

    struct Kafka: Sendable {
        /// `bootstrap.servers`.
        var bootstrapServers = ["localhost:9092"]
        /// The broker ids expected; nil to learn them.
        var expectedBrokers: [Int32]?
        /// librdkafka properties passed as is.
        var properties: [String: String] = [:]
        /// `min.insync.replicas` assumed when a topic's config cannot be read.
        var defaultMinInsyncReplicas = 1
        /// Where each property was set in the config file, for positioned errors.
        var propertyLocations: [String: ConfigError.Location] = [:]

        /// A refused librdkafka property as a user error, at its place in the config file.
        func propertyError(_ name: String, _ reason: String) -> ConfigError {
            ConfigError(location: propertyLocations[name] ?? .flag("config.file"),
                        message: "librdkafka property \"\(name)\": \(reason)")
        }
    }

    struct Collect: Sendable {
        /// Time between collections.
        var interval: Duration = .seconds(30)
        /// Whether to collect at all (`ENABLE_KAFKA_HEALTH_MONITORING`); HTTP is served anyway.
        var enabled = true
    }

    struct Storage: Sendable {
        /// Where the store persists its snapshot; nil keeps it in memory only.
        var path: String?
        /// How much history the store keeps.
        var retention: Duration = .seconds(3600)
    }

    struct Web: Sendable {
        /// Where the HTTP server listens.
        var listenAddress = ListenAddress(host: "0.0.0.0", port: 9090)
        /// The URL users reach the monitor at (for links in notifications).
        var externalURL: String?
    }
}

/// `host:port` for the HTTP server.
struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    var host: String
    var port: Int

    /// Parses `host:port`, `:port` (all interfaces) or `[v6]:port`.
    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "0.0.0.0" : host
        self.port = port
    }

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
