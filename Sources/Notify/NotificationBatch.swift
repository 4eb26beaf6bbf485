import Foundation

/// What a receiver's schedule decided to send at one moment: the alerts of one group.
///
/// Firing alerts carry `endsAt == nil` (the grouped receivers print Alertmanager's zero time)
/// or, for the `alertmanager` receiver, the expiry Prometheus would stamp on them.
struct NotificationBatch: Sendable, Hashable {
    /// Alertmanager-style group key, e.g. `{}:{alertname="BrokerOffline"}`.
    let groupKey: String
    /// The labels the group was formed by (`groupLabels` in the webhook).
    let groupLabels: [String: String]
    /// The alerts, sorted by fingerprint for a stable payload.
    let alerts: [NotifyAlert]
    /// When the batch was made; decides which alerts count as resolved.
    let at: Date

    /// Whether any alert of the batch is firing at `at` (the group's `status`).
    var isFiring: Bool { alerts.contains { !$0.isResolved(at: at) } }
}

/// Alertmanager's rendering of a label set: `{a="1", b="2"}`, names sorted, values quoted.
func labelSetString(_ labels: [String: String]) -> String {
    let pairs = labels.keys.sorted().map { name -> String in
        var quoted = ""
        for scalar in labels[name]!.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return "\(name)=\"\(quoted)\""
    }
    return "{" + pairs.joined(separator: ", ") + "}"
}
