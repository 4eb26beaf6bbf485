import Foundation
import Exporter

/// The minimal `/` page: what the monitor watches, and the cluster's state at a glance.
struct StatusPage: Sendable {
    let bootstrapServers: [String]
    let interval: String
    let collecting: Bool

    /// The page; `sections` (HTML) follow the broker table.
    func render(_ families: [MetricFamily], sections: String = "") -> String {
        func value(_ name: String) -> String {
            guard let sample = families.first(where: { $0.name == name })?.samples.first else { return "–" }
            return MetricsWriter.format(sample.value)
        }
        let brokers = families.first { $0.name == MetricNames.brokerOnline }?.samples.map { sample in
            "<tr><td>\(Self.escape(sample.labels[0]))</td><td>\(Self.escape(sample.labels[1])):\(Self.escape(sample.labels[2]))</td>"
                + "<td>\(sample.value == 1 ? "online" : "<b>offline</b>")</td></tr>"
        } ?? []
        let offline = families.first { $0.name == MetricNames.offlinePartitions }?.value(MetricNames.totalTopic)
        let under = families.first { $0.name == MetricNames.underReplicatedPartitions }?.value(MetricNames.totalTopic)
        return """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>kafka-health-monitor</title></head><body>
            <h1>kafka-health-monitor</h1>
            <p>Bootstrap servers: \(Self.escape(bootstrapServers.joined(separator: ", "))) · interval \(interval)\
            \(collecting ? "" : " · <b>collection disabled</b>")</p>
            <p>kafka_up \(value(MetricNames.up)) · brokers \(value(MetricNames.clusterBrokers)) of \
            \(value(MetricNames.clusterExpectedBrokers)) expected · topics \(value(MetricNames.clusterTopics)) · \
            partitions \(value(MetricNames.clusterPartitions)) · offline \(offline.map(MetricsWriter.format) ?? "–") · \
            under-replicated \(under.map(MetricsWriter.format) ?? "–")</p>
            <table border="1"><tr><th>broker</th><th>address</th><th>state</th></tr>
            \(brokers.joined(separator: "\n"))
            </table>
            \(sections)
            <p><a href="/metrics">/metrics</a> · <a href="/-/healthy">/-/healthy</a> · <a href="/-/ready">/-/ready</a></p>
            </body></html>

            """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
