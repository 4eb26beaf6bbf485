import Foundation
import Logging
@testable import Notify
import Testing
import Yams
@testable import kafka_health_monitor

/// The pure parts of a configuration reload: which settings need a restart, what the
/// reload answers, and where a receiver refused by the running dispatcher points.
struct ReloadWiringTests {
    /// A change to a loaded configuration, and the restart-only settings it touches.
    @Test(arguments: [
        ("receivers and rule files only", ["receivers", "rule_files"], []),
        ("the listen address", ["web.listen_address"], ["web.listen_address"]),
        ("the storage path and retention", ["storage.path", "storage.retention"], ["storage.path", "storage.retention"]),
        ("everything", ["kafka.bootstrap_servers", "kafka.properties", "collect.interval", "web.external_url"],
         ["kafka.bootstrap_servers", "kafka.properties", "collect.interval", "web.external_url"]),
    ] as [(String, [String], [String])])
    func restartOnlySettingsAreNamed(_ label: String, changes: [String], needsRestart: [String]) throws {
        let running = MonitorConfiguration()
        var loaded = running
        for change in changes {
            switch change {
            case "receivers": loaded.receivers = Array(try #require(try Yams.compose(yaml: "- {name: a}")?.sequence))
            case "rule_files": loaded.ruleFiles = ["other/*.yml"]
            case "web.listen_address": loaded.web.listenAddress = ListenAddress(host: "127.0.0.1", port: 9191)
            case "web.external_url": loaded.web.externalURL = "http://elsewhere:9090"
            case "storage.path": loaded.storage.path = "/var/lib/elsewhere"
            case "storage.retention": loaded.storage.retention = .seconds(7200)
            case "kafka.bootstrap_servers": loaded.kafka.bootstrapServers = ["kafka-9:9092"]
            case "kafka.properties": loaded.kafka.properties["security.protocol"] = "SSL"
            case "collect.interval": loaded.collect.interval = .seconds(5)
            default: Issue.record("no such change \(change)")
            }
        }
        #expect(RestartOnlySettings.changed(from: running, to: loaded) == needsRestart, "\(label)")
    }

    @Test func theReportSaysWhatChangedAndWhatWaitsForARestart() {
        let report = ConfigReloader.Report(
            ruleFiles: ["rules/a.yml", "rules/b.yml"],
            receivers: ReceiverChanges(added: ["slack"], changed: ["oncall"], unchanged: ["am"], removed: ["old", "older"]),
            needsRestart: ["storage.path", "web.listen_address"])
        #expect(report.description == """
            Reloaded the configuration: 2 rule files; receivers: 1 added (slack), 1 changed (oncall), \
            2 removed, queued notifications still delivered (old, older), 1 unchanged (am).
            Needs restart (the running values stay until then): storage.path, web.listen_address.
            """)
        #expect(ConfigReloader.Report(ruleFiles: [], receivers: ReceiverChanges(), needsRestart: []).description
                == "Reloaded the configuration: 0 rule files; receivers: none.")
    }

    @Test func aReceiverRefusedByTheDispatcherPointsAtItsField() throws {
        let yaml = "- name: a\n  type: slack\n  url: 'http://h/x'\n"
        let nodes = Array(try #require(try Yams.compose(yaml: yaml)?.sequence))
        let refused = ReceiverConfigErrors(errors: [
            ReceiverConfigError(index: 0, receiver: "a", field: "type", message: "cannot change from webhook to slack on reload"),
            ReceiverConfigError(index: 1, receiver: "demo-log", field: "url", message: "added by the program"),
        ])
        #expect(ReceiverConfigLoader.positioned(refused, nodes: nodes, file: "c.yml").map(\.description) == [
            "c.yml:0:0: receiver \"demo-log\": url: added by the program",
            "c.yml:2:9: receiver \"a\": type: cannot change from webhook to slack on reload",
        ])
    }
}
