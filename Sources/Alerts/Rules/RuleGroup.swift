import Foundation
import PromQL
import Synchronization
import TimeSeries

/// A rule group: rules evaluated in order at the same timestamp, every `interval`, each
/// seeing what the previous ones wrote. Its output goes to the store, its due alerts to the
/// notify function; it is handed both and calls nothing else (Prometheus's `rules.Group`).
public final class RuleGroup: Sendable {
    /// What a group is handed: where queries, samples and alerts go, and what templates see.
    public struct Options: Sendable {
        /// Runs rule expressions (usually `EngineQuery.function`).
        public var query: QueryFunc
        /// Receives rule output series (usually the store).
        public var appender: any Appender
        /// Receives the alerts due for sending.
        public var notify: NotifyFunc
        /// How often a firing alert is re-sent (Prometheus's `--rules.alert.resend-delay`).
        public var resendDelay: Int64
        /// `$externalLabels` in templates.
        public var externalLabels: [String: String]
        /// `$externalURL` in templates.
        public var externalURL: String
        /// Where to read `ALERTS_FOR_STATE` to restore `for` state after a start; nil (the
        /// default, and promtool's behaviour) starts every alert afresh.
        public var restoreFrom: (any Querier)?
        /// Outage tolerance and grace period of the restoration.
        public var restoreOptions = AlertingRule.RestoreOptions()

        /// Options; by default alerts go nowhere and firing ones are re-sent every minute.
        public init(query: @escaping QueryFunc, appender: any Appender, notify: @escaping NotifyFunc = { _ in },
                    resendDelay: Int64 = 60_000, externalLabels: [String: String] = [:], externalURL: String = "",
                    restoreFrom: (any Querier)? = nil) {
            self.restoreFrom = restoreFrom
            self.query = query
            self.appender = appender
            self.notify = notify
            self.resendDelay = resendDelay
            self.externalLabels = externalLabels
            self.externalURL = externalURL
        }
    }

    /// The group's name.
    public let name: String
    /// The file it came from.
    public let file: String
    /// `file;name`, unique across files (Prometheus's group key).
    public var key: String { file + ";" + name }
    /// Milliseconds between evaluations.
    public let interval: Int64
    /// The group's `limit:` (0: none).
    public let limit: Int
    /// The group as read from its file (rules with expressions, `for`, labels, annotations):
    /// for callers that list rule details (`/api/v1/rules`) or size the store's retention.
    public let definition: RuleGroupDefinition
    let options: Options
    let state: Mutex<State>

    struct State: Sendable {
        var rules: [GroupRule]
        var lastEvaluation: Int64?
        var lastDuration: Duration = .zero
        var evaluations = 0
        var failures = 0
        /// Whether `for` state is to be restored after the next evaluation.
        var needsRestore = false
    }

    /// Builds a group from its definition.
    public convenience init(_ definition: RuleGroupDefinition, file: String, defaultInterval: Int64, options: Options) {
        self.init(definition, file: file, defaultInterval: defaultInterval, options: options, restore: options.restoreFrom != nil)
    }

    /// Builds a group; `restore` makes its alerting rules restore `for` state from
    /// `options.restoreFrom` after their first evaluation (groups loaded at start only).
    init(_ definition: RuleGroupDefinition, file: String, defaultInterval: Int64, options: Options, restore: Bool) {
        name = definition.name
        self.file = file
        interval = definition.interval.flatMap { $0 > 0 ? $0 : nil } ?? defaultInterval
        limit = definition.limit
        self.definition = definition
        self.options = options
        var counts: [String: Int] = [:]
        let rules = definition.rules.map { rule -> GroupRule in
            counts[rule.name, default: 0] += 1
            return GroupRule(rule, source: "rule-group:\(file);\(definition.name);\(rule.name)#\(counts[rule.name]!)")
        }
        var initial = State(rules: rules)
        if restore && options.restoreFrom != nil {
            initial.needsRestore = true
            for index in initial.rules.indices { initial.rules[index].awaitRestore() }
        }
        state = Mutex(initial)
    }

    /// Evaluates every rule at `timestamp`, in order: writes each rule's output (with
    /// staleness markers for series it no longer produces), hands due alerts to the notify
    /// function, and records health, errors and durations. A failing rule writes nothing
    /// and does not stop the others.
    public func evaluate(at timestamp: Int64) {
        let clock = ContinuousClock()
        let groupStart = clock.now
        let context = RuleEvaluationContext(limit: limit, externalLabels: options.externalLabels, externalURL: options.externalURL)
        // Alerts are handed to the notify function after the lock is released, so that it
        // may read this group's status without deadlocking.
        let batches: [[Alert]] = state.withLock { state in
            var batches: [[Alert]] = []
            for index in state.rules.indices {
                let ruleStart = clock.now
                var rule = state.rules[index]
                defer {
                    rule.lastEvaluation = timestamp
                    rule.lastDuration = clock.now - ruleStart
                    state.rules[index] = rule
                }
                let output: [VectorElement]
                do {
                    output = try rule.eval(at: timestamp, query: options.query, context: context)
                } catch {
                    rule.health = .err
                    rule.lastError = "\(error)"
                    state.failures += 1
                    continue
                }
                rule.health = .ok
                rule.lastError = nil
                let due = rule.alertsToSend(at: timestamp, resendDelay: options.resendDelay, interval: interval)
                if !due.isEmpty { batches.append(due) }
                options.appender.append(source: rule.source, timestamp: timestamp,
                                        samples: output.map { ($0.labels, $0.value) })
            }
            if state.needsRestore, let querier = options.restoreFrom {
                for index in state.rules.indices {
                    state.rules[index].restoreForState(at: timestamp, querier: querier, options: options.restoreOptions)
                }
                state.needsRestore = false
            }
            state.lastEvaluation = timestamp
            state.evaluations += 1
            state.lastDuration = clock.now - groupStart
            return batches
        }
        for batch in batches { options.notify(batch) }
    }

    /// Writes staleness markers for every series the group's rules produced (when the group
    /// is removed on reload), at `timestamp`.
    public func markStale(at timestamp: Int64) {
        let sources = state.withLock { $0.rules.map(\.source) }
        for source in sources { options.appender.append(source: source, timestamp: timestamp, samples: []) }
    }

    /// The timestamp of the evaluation due at `now`, aligned to the interval, or nil when
    /// that evaluation has already run.
    public func dueEvaluation(at now: Int64) -> Int64? {
        let aligned = now - ((now % interval) + interval) % interval
        let last = state.withLock { $0.lastEvaluation }
        if let last, last >= aligned { return nil }
        return aligned
    }

    /// Every alert of the group's alerting rules (pending, firing, resolved and retained).
    public var alerts: [Alert] {
        state.withLock { $0.rules.compactMap(\.alertingRule).flatMap(\.alerts) }
    }

    /// The alerting rules, with their current alerts (for unit tests and status pages).
    public var alertingRules: [AlertingRule] {
        state.withLock { $0.rules.compactMap(\.alertingRule) }
    }

    /// Takes over rule state (alerts, health) from the group with the same key before a
    /// reload, matching rules by name and occurrence.
    func adoptState(of previous: RuleGroup) {
        let old = previous.state.withLock { $0 }
        state.withLock { state in
            var bySource: [String: GroupRule] = [:]
            for rule in old.rules { bySource[rule.source] = rule }
            for index in state.rules.indices {
                if let match = bySource[state.rules[index].source] { state.rules[index].adoptState(of: match) }
            }
            state.needsRestore = old.needsRestore
            state.lastEvaluation = old.lastEvaluation
            state.evaluations = old.evaluations
            state.failures = old.failures
        }
    }
}
