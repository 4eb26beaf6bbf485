import PromQL
import TimeSeries

/// One rule of a group with what the group tracks about it: its health, its last error and
/// the store source its output series are written under (so they go stale when it stops
/// producing them).
struct GroupRule: Sendable {
    enum Kind: Sendable {
        case alerting(AlertingRule)
        case recording(RecordingRule)
    }

    var kind: Kind
    /// `rule-group:<file>;<group>;<rule name>#<n>`: the rule's staleness-tracking source.
    let source: String
    var health: RuleHealth = .unknown
    var lastError: String?
    var lastEvaluation: Int64?
    var lastDuration: Duration = .zero

    init(_ definition: RuleDefinition, source: String) {
        self.source = source
        switch definition.kind {
        case .alert: kind = .alerting(AlertingRule(definition))
        case .record: kind = .recording(RecordingRule(definition))
        }
    }

    var name: String {
        switch kind {
        case .alerting(let rule): return rule.name
        case .recording(let rule): return rule.name
        }
    }

    /// Evaluates the rule and returns its output samples.
    mutating func eval(at timestamp: Int64, query: QueryFunc, context: RuleEvaluationContext) throws -> [VectorElement] {
        switch kind {
        case .alerting(var rule):
            defer { kind = .alerting(rule) }
            return try rule.eval(at: timestamp, query: query, context: context)
        case .recording(var rule):
            defer { kind = .recording(rule) }
            return try rule.eval(at: timestamp, query: query, context: context)
        }
    }

    /// The alerts due for sending (alerting rules only).
    mutating func alertsToSend(at timestamp: Int64, resendDelay: Int64, interval: Int64) -> [Alert] {
        guard case .alerting(var rule) = kind else { return [] }
        defer { kind = .alerting(rule) }
        return rule.alertsToSend(at: timestamp, resendDelay: resendDelay, interval: interval)
    }

    /// Marks an alerting rule as waiting for `for` state restoration (after a start).
    mutating func awaitRestore() {
        guard case .alerting(var rule) = kind else { return }
        rule.restored = false
        kind = .alerting(rule)
    }

    /// Restores an alerting rule's `for` state from the store (see `AlertingRule.restoreForState`).
    mutating func restoreForState(at timestamp: Int64, querier: any Querier, options: AlertingRule.RestoreOptions) {
        guard case .alerting(var rule) = kind else { return }
        rule.restoreForState(at: timestamp, querier: querier, options: options)
        kind = .alerting(rule)
    }

    /// The alerting rule, if this is one.
    var alertingRule: AlertingRule? {
        if case .alerting(let rule) = kind { return rule }
        return nil
    }

    /// Takes over the state of the same rule from before a reload.
    mutating func adoptState(of previous: GroupRule) {
        health = previous.health
        lastError = previous.lastError
        lastEvaluation = previous.lastEvaluation
        if case .alerting(var rule) = kind, case .alerting(let old) = previous.kind {
            rule.adoptState(of: old)
            kind = .alerting(rule)
        }
    }
}
