import TimeSeries

extension RuleGroup {
    /// A snapshot of a group's evaluation metrics, for `/metrics` and the status page:
    /// `kafka_health_monitor_rule_group_last_duration_seconds` and
    /// `kafka_health_monitor_rule_evaluation_failures_total`.
    public struct Status: Sendable {
        /// The group's name.
        public let name: String
        /// The rule file it came from.
        public let file: String
        /// Milliseconds between evaluations.
        public let interval: Int64
        /// When the group last ran (ms), nil before its first evaluation.
        public let lastEvaluation: Int64?
        /// How long its last evaluation took, in seconds.
        public let lastDurationSeconds: Double
        /// Evaluations so far.
        public let evaluations: Int
        /// Rule evaluations that failed so far.
        public let failures: Int
        /// Every rule's health, in group order.
        public let rules: [RuleStatus]
    }

    /// One rule's health and last error.
    public struct RuleStatus: Sendable {
        /// The alert or recorded metric name.
        public let name: String
        /// "alerting" or "recording".
        public let type: String
        /// Whether the last evaluation succeeded.
        public let health: RuleHealth
        /// The last evaluation's error; nil when it succeeded.
        public let lastError: String?
        /// How long the rule's last evaluation took, in seconds.
        public let lastDurationSeconds: Double
        /// The alerts of an alerting rule (empty for a recording rule).
        public let alerts: [Alert]
    }

    /// The group's current metrics and rule health.
    public var status: Status {
        state.withLock { state in
            Status(
                name: name, file: file, interval: interval, lastEvaluation: state.lastEvaluation,
                lastDurationSeconds: state.lastDuration.seconds, evaluations: state.evaluations,
                failures: state.failures,
                rules: state.rules.map { rule in
                    RuleStatus(name: rule.name, type: rule.alertingRule == nil ? "recording" : "alerting",
                               health: rule.health, lastError: rule.lastError,
                               lastDurationSeconds: rule.lastDuration.seconds, alerts: rule.alertingRule?.alerts ?? [])
                })
        }
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
