import Yams

/// Reads one YAML mapping field by field, the way a strict decoder does, while keeping every
/// node's position and collecting every problem instead of stopping at the first.
struct YAMLFields {
    /// The mapping's pairs by key, for lookups.
    private(set) var values: [String: Node] = [:]
    /// Where the mapping starts.
    let position: SourcePosition

    /// Reads `node` as a mapping whose keys must be among `known`; reports anything else
    /// (not a mapping, non-string keys, unknown keys) through `report`.
    init?(_ node: Node, known: Set<String>, what: String, report: (SourcePosition, String) -> Void) {
        position = node.position
        guard let mapping = node.mapping else {
            report(node.position, "\(what) must be a mapping, not \(node.kindName)")
            return nil
        }
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                report(key.position, "\(what) has a key that is not a string")
                continue
            }
            guard known.contains(name) else {
                report(key.position, "field \(name) not found in \(what)")
                continue
            }
            values[name] = value
        }
    }

    subscript(name: String) -> Node? { values[name] }

    /// The field as a string scalar; reports a non-scalar value.
    func string(_ name: String, report: (SourcePosition, String) -> Void) -> (text: String, node: Node)? {
        guard let node = values[name] else { return nil }
        if node.isNull { return ("", node) }  // `field:` with no value: YAML's null
        if let scalar = node.scalar { return (scalar.string, node) }
        report(node.position, "field \(name) must be a string, not \(node.kindName)")
        return nil
    }

    /// The field's scalar text as written, even `~` or `null` (Prometheus keeps `alert`,
    /// `record` and `expr` as raw YAML nodes, so `alert: ~` names an alert "~").
    func rawString(_ name: String, report: (SourcePosition, String) -> Void) -> (text: String, node: Node)? {
        guard let node = values[name] else { return nil }
        if let scalar = node.scalar { return (scalar.string, node) }
        report(node.position, "field \(name) must be a string, not \(node.kindName)")
        return nil
    }

    /// The field as a string-to-string mapping (`labels`, `annotations`), in file order.
    func stringMap(_ name: String, report: (SourcePosition, String) -> Void) -> [(key: String, value: String, keyNode: Node, valueNode: Node)] {
        guard let node = values[name] else { return [] }
        if node.isNull { return [] }
        guard let mapping = node.mapping else {
            report(node.position, "field \(name) must be a mapping of strings, not \(node.kindName)")
            return []
        }
        var pairs: [(key: String, value: String, keyNode: Node, valueNode: Node)] = []
        for (key, value) in mapping {
            guard let keyText = key.scalar?.string, let valueText = value.scalar?.string else {
                report(value.position, "field \(name) must map strings to strings")
                continue
            }
            pairs.append((keyText, valueText, key, value))
        }
        return pairs
    }
}

extension Node {
    /// The node's position, or 1:1 when the parser gave none.
    var position: SourcePosition {
        mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? SourcePosition(line: 1, column: 1)
    }

    /// Whether this is YAML's null (`~`, `null`, or nothing), which decodes as an empty value.
    var isNull: Bool {
        guard let scalar = scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// What kind of node this is, for messages.
    var kindName: String {
        switch self {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .alias: return "an alias"
        }
    }
}
