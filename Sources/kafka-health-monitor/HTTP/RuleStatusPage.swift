import Alerts
import PromQL

/// The status page's alert and rule sections: firing and pending alerts, then each rule
/// group with its last evaluation, duration, failures and unhealthy rules.
enum RuleStatusPage {
    static func render(_ rules: RuleEvaluation) -> String {
        let alerts = rules.manager.alerts.filter { $0.state != .inactive }.sorted { ($1.state, $0.labels) < ($0.state, $1.labels) }
        let alertRows = alerts.map { alert in
            let labels = alert.labels.filter { $0.name != "alertname" }.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
            return "<tr><td>\(alert.state == .firing ? "<b>firing</b>" : "pending")</td>"
                + "<td>\(StatusPage.escape(alert.labels["alertname"] ?? ""))</td><td>\(StatusPage.escape(labels))</td>"
                + "<td>\(StatusPage.escape(alert.annotations["summary"] ?? ""))</td>"
                + "<td>\(APIRoutes.rfc3339(alert.activeAt))</td></tr>"
        }
        let groupRows = rules.manager.groups.map(\.status).map { status in
            let unhealthy = status.rules.filter { $0.health == .err }
                .map { "\($0.name): \($0.lastError ?? "")" }.joined(separator: "; ")
            return "<tr><td>\(StatusPage.escape(status.file))</td><td>\(StatusPage.escape(status.name))</td>"
                + "<td>\(status.rules.count)</td><td>\(FloatFormat.shortest(Double(status.interval) / 1000))s</td>"
                + "<td>\(status.lastEvaluation.map(APIRoutes.rfc3339) ?? "never")</td>"
                + "<td>\(String(format: "%.3f", status.lastDurationSeconds * 1000)) ms</td><td>\(status.failures)</td>"
                + "<td>\(StatusPage.escape(unhealthy.isEmpty ? "ok" : unhealthy))</td></tr>"
        }
        return """
            <h2>Alerts (\(alerts.filter { $0.state == .firing }.count) firing, \(alerts.filter { $0.state == .pending }.count) pending)</h2>
            <table border="1"><tr><th>state</th><th>alert</th><th>labels</th><th>summary</th><th>active since</th></tr>
            \(alertRows.isEmpty ? "<tr><td colspan=\"5\">none</td></tr>" : alertRows.joined(separator: "\n"))
            </table>
            <h2>Rule groups</h2>
            <table border="1"><tr><th>file</th><th>group</th><th>rules</th><th>interval</th><th>last evaluation</th>\
            <th>duration</th><th>failures</th><th>health</th></tr>
            \(groupRows.joined(separator: "\n"))
            </table>
            <p><a href="/api/v1/alerts">/api/v1/alerts</a> · <a href="/api/v1/rules">/api/v1/rules</a></p>
            """
    }
}
