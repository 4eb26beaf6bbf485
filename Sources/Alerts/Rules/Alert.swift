import TimeSeries

/// The state of an alert: pending until its condition has held for `for`, then firing;
/// inactive once resolved (kept for 15 minutes so that the resolution is sent).
public enum AlertState: String, Sendable, Comparable {
    case inactive, pending, firing

    public static func < (lhs: AlertState, rhs: AlertState) -> Bool {
        let order: [AlertState] = [.inactive, .pending, .firing]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}

/// One alert of an alerting rule, identified by its label set. Times are milliseconds since
/// the Unix epoch; nil means "never".
public struct Alert: Sendable, Equatable {
    /// Pending, firing, or inactive (resolved).
    public var state: AlertState
    /// The alert's labels: the result series' labels without `__name__`, the rule's
    /// (templated) labels, and `alertname`.
    public var labels: Labels
    /// The templated annotations (`summary`, `description`, `runbook_url`, …).
    public var annotations: [String: String]
    /// The expression's value at the latest evaluation.
    public var value: Double
    /// When the condition started holding (the alert became pending).
    public var activeAt: Int64
    /// When the alert started firing.
    public var firedAt: Int64?
    /// When the alert resolved.
    public var resolvedAt: Int64?
    /// When the alert was last handed to the notify function.
    public var lastSentAt: Int64?
    /// Until when the last notification is valid (Prometheus sends it as `endsAt`).
    public var validUntil: Int64?
    /// When the condition stopped holding while `keep_firing_for` keeps the alert firing.
    public var keepFiringSince: Int64?
    /// The alerting rule's expression, for links back to it (Alertmanager's `generatorURL`).
    public var expression = ""

    /// A new alert; the times not given are nil.
    public init(state: AlertState, labels: Labels, annotations: [String: String], value: Double, activeAt: Int64) {
        self.state = state
        self.labels = labels
        self.annotations = annotations
        self.value = value
        self.activeAt = activeAt
    }

    /// Prometheus's `needsSending`: firing alerts every `resendDelay`, and any alert resolved
    /// since it was last sent; never pending ones.
    func needsSending(at timestamp: Int64, resendDelay: Int64) -> Bool {
        if state == .pending { return false }
        if let resolvedAt, resolvedAt > (lastSentAt ?? Int64.min) { return true }
        guard let lastSentAt else { return true }
        return lastSentAt + resendDelay < timestamp
    }

    public static func == (lhs: Alert, rhs: Alert) -> Bool {
        lhs.state == rhs.state && lhs.labels == rhs.labels && lhs.annotations == rhs.annotations
            && lhs.value.bitPattern == rhs.value.bitPattern && lhs.activeAt == rhs.activeAt
            && lhs.firedAt == rhs.firedAt && lhs.resolvedAt == rhs.resolvedAt
            && lhs.lastSentAt == rhs.lastSentAt && lhs.validUntil == rhs.validUntil
            && lhs.keepFiringSince == rhs.keepFiringSince && lhs.expression == rhs.expression
    }
}
