import Alerts

/// Prometheus's duration syntax for flags and the config file (`1h30m`, `500ms`, `30s`), as
/// `Duration` values: the rule-file parser's `PromDuration` is the one implementation.
enum PrometheusDuration {
    /// The duration `text` spells, or nil when it is not a valid Prometheus duration.
    static func parse(_ text: String) -> Duration? {
        guard case .success(let milliseconds) = PromDuration.parse(text) else { return nil }
        return .milliseconds(milliseconds)
    }

    /// `30s`, `1m30s`, `500ms`: the shortest spelling, for messages and the status page.
    static func format(_ duration: Duration) -> String {
        PromDuration.format(Int64(duration / .milliseconds(1)))
    }
}
