import Foundation
import Hummingbird
import Notify

/// The demo's receiver: a webhook pointed at the monitor's own `/-/demo/notifications`,
/// which prints every notification (firing and resolved alerts) to stdout, so the demo
/// shows the full path — rules, grouping, durable outbox, HTTP delivery.
enum DemoNotificationPrinter {
    static let path = "/-/demo/notifications"

    /// A webhook receiver to the monitor itself, grouped by alert name, 1 s group wait.
    static func receiver(monitor address: ListenAddress) -> ReceiverConfig {
        let host = ["0.0.0.0", "::"].contains(address.host) ? "127.0.0.1" : address.host
        var receiver = ReceiverConfig(name: "demo-log", type: .webhook,
                                      url: "http://\(ListenAddress(host: host, port: address.port))\(path)")
        receiver.groupBy = ["alertname"]
        receiver.groupWait = .seconds(1)
        receiver.groupInterval = .seconds(5)
        receiver.repeatInterval = .seconds(3600)
        return receiver
    }

    /// Adds the printing endpoint.
    static func addRoute(to router: Router<BasicRequestContext>) {
        router.post(RouterPath(path)) { request, _ -> Response in
            let body = try await request.body.collect(upTo: 4 << 20)
            let lines = render(Data(buffer: body))
            FileHandle.standardOutput.write(Data(lines.utf8))
            return Response(status: .ok)
        }
    }

    /// One line per alert of an Alertmanager webhook message.
    static func render(_ body: Data) -> String {
        guard let message = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let alerts = message["alerts"] as? [[String: Any]] else { return "[notification] (unreadable payload)\n" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let time = formatter.string(from: Date())
        return alerts.map { alert in
            let status = (alert["status"] as? String ?? "?").uppercased()
            let labels = (alert["labels"] as? [String: String] ?? [:])
            let name = labels["alertname"] ?? "?"
            let rest = labels.filter { $0.key != "alertname" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            let summary = (alert["annotations"] as? [String: String])?["summary"] ?? ""
            return "\(time) [notification] \(status.padding(toLength: 8, withPad: " ", startingAt: 0)) \(name) "
                + "{\(rest.joined(separator: ", "))} \(summary)\n"
        }.joined()
    }
}
