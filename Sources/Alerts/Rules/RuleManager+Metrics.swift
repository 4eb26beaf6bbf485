import TimeSeries

extension RuleManager {
    /// The rule-evaluation metrics of DESIGN.md, one sample per group, labelled
    /// `rule_group="file;name"` as Prometheus labels its own:
    /// `kafka_health_monitor_rule_group_last_duration_seconds` (gauge) and
    /// `kafka_health_monitor_rule_evaluation_failures_total` (counter). For `/metrics` and the
    /// store; groups that never ran report a duration of 0.
    public var metricSamples: [(Labels, Double)] {
        groups.flatMap { group -> [(Labels, Double)] in
            let status = group.status
            return [
                (["__name__": "kafka_health_monitor_rule_group_last_duration_seconds", "rule_group": group.key],
                 status.lastDurationSeconds),
                (["__name__": "kafka_health_monitor_rule_evaluation_failures_total", "rule_group": group.key],
                 Double(status.failures)),
            ]
        }
    }
}
