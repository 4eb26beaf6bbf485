import Notify
import Yams

/// Reads the config file's `receivers:` (raw YAML nodes) into Notify's `ReceiverConfig`s,
/// turning every problem — unknown field, wrong type, invalid setting — into a
/// `file:line:col` error at the offending node, all of them at once.
enum ReceiverConfigLoader {
    /// The fields a receiver may have (DESIGN.md and docs/notify.md).
    static let knownFields: Set<String> = [
        "name", "type", "url", "urls", "match", "match_re", "send_resolved", "group_by", "group_wait",
        "group_interval", "repeat_interval", "timeout", "headers", "bearer_token", "bearer_token_file",
        "bearer_token_env", "basic_auth", "tls", "max_alerts", "routing_key", "routing_key_file", "channel",
        "queue_capacity",
    ]

    /// The receivers of `nodes`, read from `file`; throws `ConfigErrors` with every problem.
    static func load(_ nodes: [Node], file: String) throws(ConfigErrors) -> [ReceiverConfig] {
        var errors: [ConfigError] = []
        var configs: [ReceiverConfig] = []
        for node in nodes {
            for (key, _) in node.mapping ?? [:] {
                guard let name = key.scalar?.string, !knownFields.contains(name) else { continue }
                errors.append(error(at: key, file: file, "unknown receiver field \"\(name)\""))
            }
            do {
                configs.append(try YAMLDecoder().decode(ReceiverConfig.self, from: node))
            } catch let decoding as DecodingError {
                errors.append(error(decoding, in: node, file: file))
            } catch {
                errors.append(self.error(at: node, file: file, "\(error)"))
            }
        }
        if errors.isEmpty {
            do {
                try ReceiverConfig.validate(configs)
            } catch let invalid as ReceiverConfigErrors {
                errors += positioned(invalid, nodes: nodes, file: file)
            } catch {
                errors.append(ConfigError(location: .file(path: file, line: 0, column: 0), message: "\(error)"))
            }
        }
        guard errors.isEmpty else { throw ConfigErrors(errors: errors.sorted(by: ConfigError.inFileOrder)) }
        return configs
    }

    /// Notify's receiver errors at the offending field of `nodes` (of `file`); a receiver
    /// beyond them (one the program adds, as the demo's) at the file's start.
    static func positioned(_ errors: ReceiverConfigErrors, nodes: [Node], file: String) -> [ConfigError] {
        errors.errors.map { problem in
            let message = "receiver \"\(problem.receiver)\": \(problem.field): \(problem.message)"
            guard nodes.indices.contains(problem.index) else {
                return ConfigError(location: .file(path: file, line: 0, column: 0), message: message)
            }
            let node = nodes[problem.index]
            return error(at: field(problem.field, of: node) ?? node, file: file, message)
        }.sorted(by: ConfigError.inFileOrder)
    }

    /// The node of a dotted field path (`basic_auth.username`) in a receiver: the key's value.
    private static func field(_ path: String, of node: Node) -> Node? {
        var current: Node? = node
        for part in path.split(separator: ".") {
            current = current?.mapping?.first { $0.key.scalar?.string == String(part) }?.value
        }
        return current
    }

    private static func error(_ decoding: DecodingError, in node: Node, file: String) -> ConfigError {
        let path: [any CodingKey], message: String
        switch decoding {
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            path = context.codingPath
            message = context.underlyingError.map { "\($0)" } ?? context.debugDescription
        case let .keyNotFound(key, context):
            path = context.codingPath
            message = "missing field \"\(key.stringValue)\""
        @unknown default:
            path = []
            message = "\(decoding)"
        }
        let names = path.map(\.stringValue)
        let target = field(names.joined(separator: "."), of: node) ?? node
        let prefix = names.isEmpty ? "" : names.joined(separator: ".") + ": "
        return error(at: target, file: file, prefix + message)
    }

    private static func error(at node: Node, file: String, _ message: String) -> ConfigError {
        ConfigError(location: .file(path: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0),
                    message: message)
    }
}
