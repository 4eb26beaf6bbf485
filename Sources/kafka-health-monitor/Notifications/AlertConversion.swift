import Alerts
import Foundation
import Notify

/// A rule alert as a notification, the way Prometheus's `sendAlerts` converts it: starts at
/// `firedAt` (else `activeAt`); a firing alert ends at `validUntil` (4 × the resend delay or
/// the group interval after it was sent, so a receiver that stops hearing from us resolves
/// it), a resolved one at `resolvedAt`; the generator URL links to the expression's graph.
extension NotifyAlert {
    init(_ alert: Alert, externalURL: String) {
        var labels: [String: String] = [:]
        for label in alert.labels { labels[label.name] = label.value }
        let endsAt = alert.resolvedAt ?? alert.validUntil
        self.init(labels: labels, annotations: alert.annotations,
                  startsAt: Self.date(alert.firedAt ?? alert.activeAt),
                  endsAt: endsAt.map(Self.date),
                  generatorURL: Self.generatorURL(externalURL: externalURL, expression: alert.expression))
    }

    /// `<external URL>/graph?g0.expr=<expr>&g0.tab=1`, as Prometheus's `TableLinkForExpression`.
    static func generatorURL(externalURL: String, expression: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = expression.addingPercentEncoding(withAllowedCharacters: allowed) ?? expression
        let base = externalURL.hasSuffix("/") ? String(externalURL.dropLast()) : externalURL
        return base + "/graph?g0.expr=" + encoded + "&g0.tab=1"
    }

    private static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
