import Yams

/// Typed readers for YAML nodes that record a positioned error instead of trapping.
extension ConfigFile {
    /// The string-keyed fields of a mapping; unknown keys (when `allowed` is given) and
    /// duplicate keys are errors.
    mutating func fields(_ node: Node, allowed: [String]?) -> [(String, Node)] {
        guard let mapping = node.mapping else {
            fail(node, "expected a mapping, got \(describe(node))")
            return []
        }
        var seen = Set<String>()
        var out: [(String, Node)] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                fail(key, "expected a string key")
                continue
            }
            if let allowed, !allowed.contains(name) {
                fail(key, "unknown field \"\(name)\" (expected one of: \(allowed.joined(separator: ", ")))")
                continue
            }
            if !seen.insert(name).inserted {
                fail(key, "field \"\(name)\" given twice")
                continue
            }
            out.append((name, value))
        }
        return out
    }

    /// A scalar's text, or an error.
    mutating func scalar(_ node: Node) -> String? {
        guard let text = node.scalar?.string else {
            fail(node, "expected a string, got \(describe(node))")
            return nil
        }
        return text
    }

    /// A sequence's items, or an error.
    mutating func sequence(_ node: Node) -> [Node] {
        guard let items = node.sequence else {
            fail(node, "expected a list, got \(describe(node))")
            return []
        }
        return Array(items)
    }

    /// A list of strings.
    mutating func strings(_ node: Node) -> [String] {
        sequence(node).compactMap { scalar($0) }
    }

    /// An integer no smaller than `minimum`.
    mutating func integer(_ node: Node, atLeast minimum: Int) -> Int? {
        guard let value = node.scalar.flatMap({ Int($0.string) }), value >= minimum else {
            fail(node, "expected an integer of at least \(minimum), got \(describe(node))")
            return nil
        }
        return value
    }

    /// A Prometheus duration greater than zero.
    mutating func positiveDuration(_ node: Node) -> Duration? {
        guard let text = scalar(node) else { return nil }
        guard let duration = PrometheusDuration.parse(text), duration > .zero else {
            fail(node, "invalid duration \"\(text)\" (expected e.g. 500ms, 30s, 5m, 1h)")
            return nil
        }
        return duration
    }

    mutating func fail(_ node: Node, _ message: String) {
        let mark = node.mark
        record(ConfigError(location: .file(path: path, line: mark?.line ?? 0, column: mark?.column ?? 0),
                           message: message))
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return "\"\(scalar.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// A YAML syntax error as a positioned config error.
    func yamlError(_ error: any Error) -> ConfigError {
        if let yaml = error as? YamlError {
            switch yaml {
            case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
                return ConfigError(location: .file(path: path, line: mark.line, column: mark.column),
                                   message: "YAML: \(problem)")
            default: break
            }
        }
        return ConfigError(location: .file(path: path, line: 1, column: 1), message: "YAML: \(error)")
    }
}
