import PromQL
import TimeSeries

/// An alerting rule and its alerts' state machine, as Prometheus's `AlertingRule.Eval`:
///
/// - every result series becomes an alert identified by its labels (without `__name__`, with
///   the rule's templated labels and `alertname`); a new one is pending from `activeAt`;
/// - a pending alert fires once it has been active for `for` (at once when `for` is 0);
/// - an alert whose series is gone: pending ones are dropped, firing ones stay firing for
///   `keep_firing_for` and then resolve (inactive, `resolvedAt` set), and resolved ones are
///   kept 15 minutes so that the resolution is sent, then dropped;
/// - each evaluation writes `ALERTS{alertstate="pending"|"firing"} 1` and
///   `ALERTS_FOR_STATE` (the `activeAt` in seconds) for every pending or firing alert.
public struct AlertingRule: Rule {
    /// How long a resolved alert is kept (and re-sent) after it resolves.
    public static let resolvedRetention: Int64 = 15 * 60_000

    /// The alert name (`alert:`), also the `alertname` label.
    public let name: String
    /// The condition: every result series is an alert.
    public let expr: Expr
    /// `for:` in milliseconds.
    public let holdDuration: Int64
    /// `keep_firing_for:` in milliseconds.
    public let keepFiringFor: Int64
    /// The expression as printed (cached for `Alert.expression`).
    let expression: String
    /// The rule's `labels:` and `annotations:` as parsed templates, sorted by name.
    let labelTemplates: [NamedTemplate]
    let annotationTemplates: [NamedTemplate]
    /// The alerts by identity.
    public internal(set) var active: [Labels: Alert] = [:]
    /// Whether `for` state has been restored after a restart: until then (one evaluation)
    /// no `ALERTS`/`ALERTS_FOR_STATE` series are written, as in Prometheus.
    var restored = true

    /// Builds the rule from its definition; the loader has already checked its templates.
    public init(_ definition: RuleDefinition) {
        name = definition.name
        expr = definition.expr
        expression = definition.expr.description
        holdDuration = definition.forDuration
        keepFiringFor = definition.keepFiringFor
        labelTemplates = NamedTemplate.parseAll(definition.labels)
        annotationTemplates = NamedTemplate.parseAll(definition.annotations)
    }

    /// The rule's pending, firing and retained resolved alerts, sorted by labels.
    public var alerts: [Alert] { active.values.sorted { $0.labels < $1.labels } }

    /// Runs the condition at `timestamp`, advances every alert's state and returns the
    /// `ALERTS` and `ALERTS_FOR_STATE` samples to write back.
    public mutating func eval(at timestamp: Int64, query: QueryFunc, context: RuleEvaluationContext) throws -> [VectorElement] {
        let result = try query(expr, timestamp)
        let current = try alertsFor(result, at: timestamp, context: context)
        for (identity, alert) in current {
            if var existing = active[identity], existing.state != .inactive {
                existing.value = alert.value
                existing.annotations = alert.annotations
                active[identity] = existing
            } else {
                active[identity] = alert
            }
        }
        var output: [VectorElement] = []
        var activeOrPending = 0
        for identity in active.keys.sorted() {
            var alert = active[identity]!
            if current[identity] == nil {
                var keepFiring = false
                if alert.state == .firing && keepFiringFor > 0 {
                    let since = alert.keepFiringSince ?? timestamp
                    alert.keepFiringSince = since
                    keepFiring = timestamp - since < keepFiringFor
                }
                let drop = alert.state == .pending
                    || (alert.resolvedAt.map { timestamp - $0 > Self.resolvedRetention } ?? false)
                if alert.state != .inactive && !keepFiring {
                    alert.state = .inactive
                    alert.resolvedAt = timestamp
                }
                active[identity] = drop ? nil : alert
                if !keepFiring { continue }
            } else {
                alert.keepFiringSince = nil
            }
            activeOrPending += 1
            if alert.state == .pending && timestamp - alert.activeAt >= holdDuration {
                alert.state = .firing
                alert.firedAt = timestamp
            }
            active[identity] = alert
            if restored {
                output.append(Self.alertsSample(alert, at: timestamp))
                output.append(Self.forStateSample(alert, at: timestamp))
            }
        }
        if context.limit > 0 && activeOrPending > context.limit {
            active = [:]
            throw RuleEvaluationError("exceeded limit of \(context.limit) with \(activeOrPending) alerts")
        }
        return output
    }

    /// The alerts the result series describe right now, by identity, templates expanded.
    private func alertsFor(_ result: [VectorElement], at timestamp: Int64, context: RuleEvaluationContext) throws -> [Labels: Alert] {
        var current: [Labels: Alert] = [:]
        for sample in result {
            var seriesLabels: [String: String] = [:]
            for label in sample.labels { seriesLabels[label.name] = label.value }
            let data = TemplateData(labels: seriesLabels, externalLabels: context.externalLabels,
                                    externalURL: context.externalURL, value: sample.value)
            var labels = sample.labels.droppingMetricName
            for label in labelTemplates {
                labels = labels.setting(label.name, to: label.template.expandOrError(data))
            }
            labels = labels.setting("alertname", to: name)
            var annotations: [String: String] = [:]
            for annotation in annotationTemplates {
                annotations[annotation.name] = annotation.template.expandOrError(data)
            }
            guard current[labels] == nil else {
                throw RuleEvaluationError("vector contains metrics with the same labelset after applying alert labels")
            }
            var alert = Alert(state: .pending, labels: labels, annotations: annotations, value: sample.value, activeAt: timestamp)
            alert.expression = expression
            current[labels] = alert
        }
        return current
    }

    /// `ALERTS{alertname, alertstate, labels…} 1`.
    static func alertsSample(_ alert: Alert, at timestamp: Int64) -> VectorElement {
        let labels = alert.labels.setting(Labels.metricName, to: "ALERTS").setting("alertstate", to: alert.state.rawValue)
        return VectorElement(labels: labels, value: 1, timestamp: timestamp)
    }

    /// `ALERTS_FOR_STATE{alertname, labels…} activeAt-in-seconds`.
    static func forStateSample(_ alert: Alert, at timestamp: Int64) -> VectorElement {
        let seconds = (alert.activeAt - ((alert.activeAt % 1000) + 1000) % 1000) / 1000
        return VectorElement(labels: alert.labels.setting(Labels.metricName, to: "ALERTS_FOR_STATE"),
                             value: Double(seconds), timestamp: timestamp)
    }

    /// Prometheus's `sendAlerts`: the alerts due for sending (firing ones every
    /// `resendDelay`, resolved ones since their last send), marked sent and valid for four
    /// times the larger of `resendDelay` and the group interval.
    public mutating func alertsToSend(at timestamp: Int64, resendDelay: Int64, interval: Int64) -> [Alert] {
        var due: [Alert] = []
        for identity in active.keys.sorted() {
            guard var alert = active[identity], alert.needsSending(at: timestamp, resendDelay: resendDelay) else { continue }
            alert.lastSentAt = timestamp
            alert.validUntil = timestamp + 4 * max(resendDelay, interval)
            active[identity] = alert
            due.append(alert)
        }
        return due
    }

    /// Takes over the alerts of the same rule from before a reload.
    mutating func adoptState(of previous: AlertingRule) {
        active = previous.active
        restored = previous.restored
    }
}

/// A label or annotation name with its parsed template.
struct NamedTemplate: Sendable {
    let name: String
    let template: Template

    /// Parses every value; a value that does not parse (the loader rejects those) is kept as text.
    static func parseAll(_ map: [String: String]) -> [NamedTemplate] {
        map.keys.sorted().map { name in
            let template = (try? Template.parse(map[name]!)) ?? Template(nodes: [.text(map[name]!)])
            return NamedTemplate(name: name, template: template)
        }
    }
}
