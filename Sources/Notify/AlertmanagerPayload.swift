import Foundation

/// The body of `POST /api/v2/alerts`: an array of Alertmanager's `postableAlert`.
struct AlertmanagerPayload: Encodable, Sendable {
    /// One `postableAlert`.
    struct Alert: Encodable, Sendable {
        let labels: [String: String]
        let annotations: [String: String]
        let startsAt: String
        let endsAt: String?
        let generatorURL: String?
    }

    let alerts: [Alert]

    /// The alerts of `batch`; each carries its `endsAt` (the expiry stamp while firing).
    init(_ batch: NotificationBatch) {
        alerts = batch.alerts.map { alert in
            Alert(labels: alert.labels, annotations: alert.annotations, startsAt: RFC3339.format(alert.startsAt),
                  endsAt: alert.endsAt.map(RFC3339.format), generatorURL: alert.generatorURL.isEmpty ? nil : alert.generatorURL)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(alerts)
    }
}
