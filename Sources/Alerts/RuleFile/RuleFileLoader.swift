import Foundation
import PromQL
import Yams

/// Loads Prometheus rule files and validates them as Prometheus's `rulefmt` does, collecting
/// every error of a file with its `file:line:col`.
///
/// Checked: YAML syntax, unknown fields, value types, empty and repeated group names, bad
/// durations, a rule with both or neither of `alert` and `record`, a missing `expr`,
/// expressions that do not parse (positioned at the offending character inside the `expr`
/// scalar), fields a recording rule may not have, invalid metric, label and annotation names,
/// and label or annotation templates that do not parse.
public enum RuleFileLoader {
    /// Reads and parses the file at `path`.
    public static func load(path: String) -> Result<RuleFile, RuleFileErrors> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(RuleFileErrors([RuleFileError(file: path, position: nil, message: "cannot read file")]))
        }
        return parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses rule-file text; `file` names it in messages.
    public static func parse(_ source: String, file: String) -> Result<RuleFile, RuleFileErrors> {
        var context = Context(file: file, sourceLines: source.split(separator: "\n", omittingEmptySubsequences: false))
        let root: Node?
        do {
            root = try Yams.compose(yaml: source)
        } catch {
            context.report(YAMLErrorPosition.of(error), YAMLErrorPosition.message(of: error))
            return .failure(RuleFileErrors(context.errors))
        }
        var groups: [RuleGroupDefinition] = []
        if let root, !root.isNull {
            groups = context.file(root)
        }
        if !context.errors.isEmpty { return .failure(RuleFileErrors(context.sortedErrors)) }
        return .success(RuleFile(path: file, groups: groups))
    }

    /// The state of one parse: the file's lines and the errors found so far.
    struct Context {
        let file: String
        let sourceLines: [Substring]
        var errors: [RuleFileError] = []

        /// The errors in file order (stable for errors at the same place).
        var sortedErrors: [RuleFileError] {
            errors.enumerated().sorted { a, b in
                let (x, y) = (a.element.position, b.element.position)
                if x != y, let x, let y { return x < y }
                return a.offset < b.offset
            }.map(\.element)
        }

        mutating func report(_ position: SourcePosition?, _ message: String) {
            errors.append(RuleFileError(file: file, position: position, message: message))
        }

        mutating func file(_ root: Node) -> [RuleGroupDefinition] {
            guard let fields = YAMLFields(root, known: ["groups"], what: "rule file", report: { report($0, $1) }) else { return [] }
            guard let groupsNode = fields["groups"], !groupsNode.isNull else { return [] }
            guard let sequence = groupsNode.sequence else {
                report(groupsNode.position, "groups must be a sequence, not \(groupsNode.kindName)")
                return []
            }
            var seen = Set<String>()
            var groups: [RuleGroupDefinition] = []
            for node in sequence {
                guard let group = group(node) else { continue }
                if !seen.insert(group.name).inserted {
                    report(group.position, "groupname: \"\(group.name)\" is repeated in the same file")
                }
                groups.append(group)
            }
            return groups
        }

        mutating func group(_ node: Node) -> RuleGroupDefinition? {
            guard let fields = YAMLFields(node, known: ["name", "interval", "limit", "rules"], what: "group",
                                          report: { report($0, $1) }) else { return nil }
            let name = fields.string("name") { report($0, $1) }?.text ?? ""
            if name.isEmpty { report(fields.position, "Groupname must not be empty") }
            let interval = duration(fields, "interval", context: "group \"\(name)\"")
            let limit = groupLimit(fields, group: name)
            var rules: [RuleDefinition] = []
            if let rulesNode = fields["rules"], !rulesNode.isNull {
                if let sequence = rulesNode.sequence {
                    for (index, ruleNode) in sequence.enumerated() {
                        if let rule = rule(ruleNode, group: name, index: index + 1) { rules.append(rule) }
                    }
                } else {
                    report(rulesNode.position, "group \"\(name)\": rules must be a sequence, not \(rulesNode.kindName)")
                }
            }
            return RuleGroupDefinition(name: name, interval: interval, limit: limit, rules: rules, position: fields.position)
        }

        /// `limit:` as YAML decodes an int: a plain number (a float is truncated), not a quoted
        /// string; zero or negative means no limit.
        mutating func groupLimit(_ fields: YAMLFields, group: String) -> Int {
            guard let node = fields["limit"], !node.isNull else { return 0 }
            if let scalar = node.scalar, scalar.style == .plain, let value = Double(scalar.string),
               value.isFinite, abs(value) < 9.2e18 {
                return max(0, Int(value))
            }
            report(node.position, "group \"\(group)\": field limit: cannot unmarshal \"\(node.scalar?.string ?? node.kindName)\" into an integer")
            return 0
        }

        mutating func duration(_ fields: YAMLFields, _ name: String, context: String) -> Int64? {
            guard let (text, node) = fields.string(name, report: { report($0, $1) }), !node.isNull else { return nil }
            switch PromDuration.parse(text) {
            case .success(let value): return value
            case .failure(let error):
                report(node.position, "\(context): field \(name): \(error)")
                return nil
            }
        }
    }
}
