import Foundation

/// A Slack incoming-webhook message: one attachment per group, red while firing, green
/// when resolved (Alertmanager's default colours), text listing the alerts.
struct SlackPayload: Encodable, Sendable {
    /// One Slack attachment.
    struct Attachment: Encodable, Sendable {
        let color: String
        let title: String
        let text: String
        let fallback: String
    }

    let channel: String?
    let text: String
    let attachments: [Attachment]

    init(_ batch: NotificationBatch, channel: String?, maxAlerts: Int) {
        let status = batch.isFiring ? "FIRING" : "RESOLVED"
        let name = batch.alerts.first?.labels["alertname"] ?? "alerts"
        let kept = maxAlerts > 0 ? Array(batch.alerts.prefix(maxAlerts)) : batch.alerts
        var lines = kept.map { alert -> String in
            let state = alert.isResolved(at: batch.at) ? "resolved" : "firing"
            let summary = alert.annotations["summary"] ?? alert.annotations["description"] ?? ""
            return "• [\(state)] \(labelSetString(alert.labels))" + (summary.isEmpty ? "" : " — \(summary)")
        }
        if kept.count < batch.alerts.count { lines.append("… and \(batch.alerts.count - kept.count) more") }
        let title = "[\(status):\(batch.alerts.count)] \(name)"
        self.channel = channel
        text = title
        attachments = [Attachment(color: batch.isFiring ? "danger" : "good", title: title,
                                  text: lines.joined(separator: "\n"), fallback: title)]
    }
}
