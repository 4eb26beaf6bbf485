import Foundation

/// Alertmanager's webhook message, version "4" (what `webhook_configs` POST), so that every
/// existing Alertmanager webhook consumer reads ours unchanged.
struct WebhookPayload: Encodable, Sendable {
    /// One alert of the message.
    struct Alert: Encodable, Sendable {
        let status: String
        let labels: [String: String]
        let annotations: [String: String]
        let startsAt: String
        let endsAt: String
        let generatorURL: String
        let fingerprint: String
    }

    let receiver: String
    let status: String
    let alerts: [Alert]
    let groupLabels: [String: String]
    let commonLabels: [String: String]
    let commonAnnotations: [String: String]
    let externalURL: String
    let version: String
    let groupKey: String
    let truncatedAlerts: Int

    /// The message for `batch` sent to `receiver`, keeping at most `maxAlerts` alerts (0 = all).
    init(_ batch: NotificationBatch, receiver: String, externalURL: String, maxAlerts: Int) {
        let kept = maxAlerts > 0 ? Array(batch.alerts.prefix(maxAlerts)) : batch.alerts
        self.receiver = receiver
        status = batch.isFiring ? "firing" : "resolved"
        alerts = kept.map { alert in
            let resolved = alert.isResolved(at: batch.at)
            return Alert(status: alert.status(at: batch.at).rawValue, labels: alert.labels,
                         annotations: alert.annotations, startsAt: RFC3339.format(alert.startsAt),
                         endsAt: resolved ? RFC3339.format(alert.endsAt!) : RFC3339.zeroTime,
                         generatorURL: alert.generatorURL, fingerprint: alert.fingerprintHex)
        }
        groupLabels = batch.groupLabels
        commonLabels = Self.common(batch.alerts.map(\.labels))
        commonAnnotations = Self.common(batch.alerts.map(\.annotations))
        self.externalURL = externalURL
        version = "4"
        groupKey = batch.groupKey
        truncatedAlerts = batch.alerts.count - kept.count
    }

    /// The pairs every map shares (Alertmanager's `commonLabels`).
    static func common(_ maps: [[String: String]]) -> [String: String] {
        guard var out = maps.first else { return [:] }
        for map in maps.dropFirst() { out = out.filter { map[$0.key] == $0.value } }
        return out
    }
}

/// JSON encoding shared by every payload: sorted keys, no escaped slashes, stable bytes.
func encodePayload<T: Encodable>(_ value: T) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Every payload type is plain strings, numbers and maps: encoding cannot fail.
    return try! encoder.encode(value)
}
