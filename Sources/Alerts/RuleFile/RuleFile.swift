import PromQL

/// A parsed and validated Prometheus rule file: `groups:` of alerting and recording rules.
public struct RuleFile: Sendable {
    /// The path as the user gave it (used in messages and in group keys).
    public let path: String
    /// The groups in file order; names are unique within a file.
    public let groups: [RuleGroupDefinition]
}

/// One `groups:` entry.
public struct RuleGroupDefinition: Sendable {
    /// The group's name, unique within its file.
    public let name: String
    /// `interval:` in milliseconds, or nil for the manager's default.
    public let interval: Int64?
    /// `limit:` the most alerts or series one rule may produce; 0 means no limit.
    public let limit: Int
    /// The rules in evaluation order.
    public let rules: [RuleDefinition]
    /// Where the group starts in its file.
    public let position: SourcePosition
}

/// One rule as written: an alert or a recording rule, its expression and decorations.
public struct RuleDefinition: Sendable {
    /// Whether the rule alerts or records, and under which name.
    public enum Kind: Sendable, Equatable {
        case alert(String)
        case record(String)
    }

    /// Alert or recording rule, and its name.
    public let kind: Kind
    /// The parsed `expr:`.
    public let expr: Expr
    /// `expr:` as written.
    public let exprText: String
    /// `for:` in milliseconds (alerts only).
    public let forDuration: Int64
    /// `keep_firing_for:` in milliseconds (alerts only).
    public let keepFiringFor: Int64
    /// `labels:`; for alerts the values are templates.
    public let labels: [String: String]
    /// `annotations:` (alerts only); the values are templates.
    public let annotations: [String: String]
    /// Where the rule starts in its file.
    public let position: SourcePosition

    /// The alert name or the recorded metric name.
    public var name: String {
        switch kind {
        case .alert(let name), .record(let name): return name
        }
    }
}
