import Foundation

/// A PagerDuty Events API v2 event: `trigger` while the group fires, `resolve` once all its
/// alerts resolved, with a `dedup_key` derived from the group key so that one group is one
/// incident across restarts.
///
/// The `routing_key` is not stored with the payload (the outbox is on disk): the sender adds
/// it just before the request (`PagerDutyPayload.addingRoutingKey`).
struct PagerDutyPayload: Encodable, Sendable {
    /// The event's `payload` object.
    struct Details: Encodable, Sendable {
        let summary: String
        let severity: String
        let source: String
        let customDetails: [String: String]

        enum CodingKeys: String, CodingKey {
            case summary, severity, source, customDetails = "custom_details"
        }
    }

    let eventAction: String
    let dedupKey: String
    let payload: Details?
    let client: String
    let clientURL: String

    enum CodingKeys: String, CodingKey {
        case eventAction = "event_action", dedupKey = "dedup_key", payload, client, clientURL = "client_url"
    }

    init(_ batch: NotificationBatch, receiver: String, externalURL: String) {
        var hash = FNV1a64()
        hash.add(receiver + "\u{ff}" + batch.groupKey)
        dedupKey = NotifyAlert.hex(hash.value)
        client = "kafka-health-monitor"
        clientURL = externalURL
        guard batch.isFiring else {
            eventAction = "resolve"
            payload = nil
            return
        }
        eventAction = "trigger"
        let firing = batch.alerts.filter { !$0.isResolved(at: batch.at) }
        let name = firing.first?.labels["alertname"] ?? "alert"
        let summary = firing.first?.annotations["summary"] ?? "\(firing.count) alert(s) firing: \(name)"
        let severity = firing.first?.labels["severity"].flatMap { ["critical", "error", "warning", "info"].contains($0) ? $0 : nil }
        var details: [String: String] = ["num_firing": "\(firing.count)", "group": batch.groupKey]
        for (index, alert) in firing.prefix(20).enumerated() { details["firing_\(index)"] = labelSetString(alert.labels) }
        payload = Details(summary: String(summary.prefix(1024)), severity: severity ?? "critical",
                          source: firing.first?.labels["instance"] ?? "kafka-health-monitor", customDetails: details)
    }

    /// `body` (an encoded event) with `routing_key` set, built at send time.
    static func addingRoutingKey(_ key: Secret, to body: Data) -> Data {
        guard var object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return body }
        object["routing_key"] = key.value
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? body
    }
}
