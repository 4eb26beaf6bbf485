import Foundation
@testable import Notify

/// Time zero of the scripted scenarios.
let epoch = Date(timeIntervalSince1970: 1_800_000_000)

/// `epoch + seconds`.
func at(_ seconds: TimeInterval) -> Date { epoch.addingTimeInterval(seconds) }

/// An alert named `name` with `id` label, started at `since` (seconds after epoch),
/// resolved at `resolvedAt` if given.
func alert(_ name: String, id: String = "1", since: TimeInterval = 0, resolvedAt: TimeInterval? = nil,
           extra: [String: String] = [:]) -> NotifyAlert {
    NotifyAlert(labels: ["alertname": name, "id": id].merging(extra) { $1 },
                annotations: ["summary": "\(name) \(id) is broken"], startsAt: at(since),
                endsAt: resolvedAt.map(at), generatorURL: "http://monitor.example/graph?g0.expr=up")
}

/// A one-line picture of a batch: `{}:{alertname="A"} A1+ A2-` (+ firing, - resolved).
func summary(_ batch: NotificationBatch) -> String {
    let alerts = batch.alerts.sorted { ($0.labels["alertname"]!, $0.labels["id"]!) < ($1.labels["alertname"]!, $1.labels["id"]!) }
    return ([batch.groupKey] + alerts.map { a in
        a.labels["alertname"]! + a.labels["id"]! + (a.isResolved(at: batch.at) ? "-" : "+")
    }).joined(separator: " ")
}

/// Decodes a receiver from JSON text (the same `Decodable` the YAML config goes through).
func receiver(_ json: String) throws -> ReceiverConfig {
    try JSONDecoder().decode(ReceiverConfig.self, from: Data(json.utf8))
}
