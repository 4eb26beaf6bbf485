import Foundation
import Yams

/// Reads a config file (DESIGN.md's YAML shape) into a `MonitorConfiguration` over the
/// defaults. Unknown keys and wrong types are errors with their `file:line:col`; all of a
/// file's errors are collected, not only the first.
struct ConfigFile {
    let path: String
    private var errors: [ConfigError] = []

    private init(path: String) {
        self.path = path
    }

    /// Records a problem; parsing goes on so that every problem is reported.
    mutating func record(_ error: ConfigError) {
        errors.append(error)
    }

    /// Loads and validates the file at `path`.
    static func load(_ path: String) throws(ConfigErrors) -> MonitorConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigErrors(errors: [.init(location: .file(path: path, line: 0, column: 0),
                                              message: "cannot read file")])
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    /// Validates YAML text as if read from `path`.
    static func parse(_ text: String, path: String) throws(ConfigErrors) -> MonitorConfiguration {
        var reader = ConfigFile(path: path)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigErrors(errors: [reader.yamlError(error)])
        }
        var config = MonitorConfiguration()
        if let root { reader.read(root, into: &config) }
        guard reader.errors.isEmpty else { throw ConfigErrors(errors: reader.errors.sorted(by: ConfigError.inFileOrder)) }
        return config
    }

    // MARK: - Sections

    private mutating func read(_ root: Node, into config: inout MonitorConfiguration) {
        for (key, value) in fields(root, allowed: ["kafka", "collect", "storage", "rule_files", "web", "receivers"]) {
            switch key {
            case "kafka": readKafka(value, into: &config.kafka)
            case "collect": readCollect(value, into: &config.collect)
            case "storage": readStorage(value, into: &config.storage)
            case "rule_files": config.ruleFiles = strings(value)
            case "web": readWeb(value, into: &config.web)
            default:
                config.receivers = receivers(value)
                config.receiversFile = path
            }
        }
    }

    private mutating func readKafka(_ node: Node, into kafka: inout MonitorConfiguration.Kafka) {
        let allowed = ["bootstrap_servers", "expected_brokers", "properties", "default_min_insync_replicas"]
        for (key, value) in fields(node, allowed: allowed) {
            switch key {
            case "bootstrap_servers":
                let servers = strings(value)
                if servers.isEmpty { fail(value, "bootstrap_servers must list at least one host:port") }
                kafka.bootstrapServers = servers
            case "expected_brokers":
                kafka.expectedBrokers = sequence(value).compactMap { item in
                    guard let id = Int32(item.string ?? ""), id >= 0 else {
                        fail(item, "expected a broker id (a non-negative integer), got \(describe(item))")
                        return nil
                    }
                    return id
                }
            case "properties":
                for (name, property) in fields(value, allowed: nil) {
                    guard let text = scalar(property) else { continue }
                    kafka.properties[name] = text
                    kafka.propertyLocations[name] = .file(path: path, line: property.mark?.line ?? 0,
                                                          column: property.mark?.column ?? 0)
                }
            default:
                if let count = integer(value, atLeast: 1) { kafka.defaultMinInsyncReplicas = count }
            }
        }
    }

    private mutating func readCollect(_ node: Node, into collect: inout MonitorConfiguration.Collect) {
        for (key, value) in fields(node, allowed: ["interval", "enabled"]) {
            switch key {
            case "interval": if let interval = positiveDuration(value) { collect.interval = interval }
            default:
                guard let flag = value.bool else {
                    fail(value, "expected true or false, got \(describe(value))")
                    continue
                }
                collect.enabled = flag
            }
        }
    }

    private mutating func readStorage(_ node: Node, into storage: inout MonitorConfiguration.Storage) {
        for (key, value) in fields(node, allowed: ["path", "retention"]) {
            switch key {
            case "path": storage.path = scalar(value)
            default: if let retention = positiveDuration(value) { storage.retention = retention }
            }
        }
    }

    private mutating func readWeb(_ node: Node, into web: inout MonitorConfiguration.Web) {
        for (key, value) in fields(node, allowed: ["listen_address", "external_url"]) {
            switch key {
            case "listen_address":
                guard let text = scalar(value) else { continue }
                guard let address = ListenAddress(text) else {
                    fail(value, "invalid listen address \"\(text)\": expected host:port")
                    continue
                }
                web.listenAddress = address
            default: web.externalURL = scalar(value)
            }
        }
    }

    /// Receivers stay raw YAML for the dispatcher; here only their outline is checked.
    private mutating func receivers(_ node: Node) -> [Node] {
        let items = sequence(node)
        for item in items where item.mapping == nil {
            fail(item, "a receiver must be a mapping, got \(describe(item))")
        }
        return items
    }
}
