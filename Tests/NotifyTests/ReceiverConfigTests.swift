import Foundation
import Testing
@testable import Notify

@Suite("Receiver configuration")
struct ReceiverConfigTests {
    @Test("DESIGN.md's example receivers decode with Alertmanager's defaults")
    func designExample() throws {
        let oncall = try receiver("""
            {"name": "oncall", "type": "webhook", "url": "https://hooks.example/kafka",
             "match": {"severity": "critical"}, "send_resolved": true, "group_by": ["alertname"],
             "group_wait": "30s", "group_interval": "5m", "repeat_interval": "4h", "timeout": "10s",
             "bearer_token_file": "/run/secrets/hook-token"}
            """)
        #expect(oncall.type == .webhook && oncall.match == ["severity": "critical"])
        #expect(oncall.groupWait == .seconds(30) && oncall.repeatInterval == .seconds(14_400))
        #expect(oncall.bearerTokenFile == "/run/secrets/hook-token")
        let am = try receiver(#"{"name": "am", "type": "alertmanager", "urls": ["http://alertmanager-1:9093", "http://alertmanager-2:9093/"]}"#)
        #expect(am.groupBy == [] && am.groupWait == .seconds(30) && am.groupInterval == .seconds(300))
        #expect(am.sendResolved && am.timeout == .seconds(10) && am.maxAlerts == 0 && am.queueCapacity == 10_000)
        #expect(am.targetURLs == ["http://alertmanager-1:9093/api/v2/alerts", "http://alertmanager-2:9093/api/v2/alerts"])
        try ReceiverConfig.validate([oncall, am])
    }

    @Test("every optional field decodes")
    func allFields() throws {
        let config = try receiver("""
            {"name": "pd", "type": "pagerduty", "routing_key_file": "/k", "match_re": {"severity": "crit.*"},
             "headers": {"X-Team": "kafka"}, "max_alerts": 5, "queue_capacity": 7,
             "basic_auth": {"username": "u", "password_env": "PW"},
             "tls": {"ca_file": "/ca", "cert_file": "/c", "key_file": "/k", "insecure_skip_verify": true}}
            """)
        #expect(config.matchRE == ["severity": "crit.*"] && config.headers == ["X-Team": "kafka"])
        #expect(config.basicAuth?.passwordEnv == "PW" && config.tls?.insecureSkipVerify == true)
        #expect(config.targetURLs == ["https://events.pagerduty.com/v2/enqueue"])
    }

    @Test("syntax errors name the problem", arguments: [
        (#"{"name": "x", "type": "email", "url": "http://h"}"#, "unknown receiver type \"email\""),
        (#"{"name": "x", "type": "webhook", "url": "http://h", "group_wait": "30"}"#, "invalid duration \"30\""),
    ])
    func syntaxErrors(json: String, fragment: String) {
        #expect { try receiver(json) } throws: { "\($0)".contains(fragment) }
    }

    @Test("meaning errors are all reported with receiver and field", arguments: [
        (#"{"name": "x", "type": "webhook"}"#, ["receivers[0] \"x\": url: a webhook receiver needs a url"]),
        (#"{"name": "x", "type": "slack", "url": "ftp://h"}"#, ["receivers[0] \"x\": url: \"ftp://h\" is not an http(s) URL"]),
        (#"{"name": "x", "type": "alertmanager"}"#, ["receivers[0] \"x\": urls: an alertmanager receiver needs at least one URL"]),
        (#"{"name": "x", "type": "webhook", "url": "http://h", "urls": ["http://i"]}"#,
         ["receivers[0] \"x\": urls: only alertmanager receivers take several URLs; use url"]),
        (#"{"name": "x", "type": "webhook", "url": "http://h", "group_interval": "0s", "max_alerts": -1}"#,
         ["receivers[0] \"x\": group_interval: must be greater than 0", "receivers[0] \"x\": max_alerts: must be 0 (unlimited) or more"]),
        (#"{"name": "x", "type": "webhook", "url": "http://h", "bearer_token": "t", "bearer_token_env": "E"}"#,
         ["receivers[0] \"x\": bearer_token: give only one of bearer_token, bearer_token_file, bearer_token_env"]),
        (#"{"name": "x", "type": "pagerduty"}"#, ["receivers[0] \"x\": routing_key: pagerduty needs routing_key or routing_key_file"]),
        (#"{"name": "x", "type": "webhook", "url": "http://h", "match_re": {"a": "("}}"#, ["receivers[0] \"x\": match_re.a: invalid regex \"(\""]),
        (#"{"name": "x", "type": "webhook", "url": "http://h", "tls": {"cert_file": "/c"}}"#,
         ["receivers[0] \"x\": tls: cert_file and key_file must be given together"]),
        (#"{"name": "x", "type": "webhook", "url": "http://h", "group_by": ["...", "a"]}"#,
         ["receivers[0] \"x\": group_by: \"...\" (all labels) must be the only entry"]),
    ])
    func meaningErrors(json: String, messages: [String]) throws {
        #expect(try receiver(json).problems(index: 0).map(\.description) == messages)
    }

    @Test("duplicate names are an error")
    func duplicates() throws {
        let a = try receiver(#"{"name": "x", "type": "webhook", "url": "http://h"}"#)
        #expect { try ReceiverConfig.validate([a, a]) } throws: {
            "\($0)" == "receivers[1] \"x\": name: duplicate receiver name"
        }
    }

    @Test("secrets never appear in descriptions, dumps or errors")
    func secretsHidden() throws {
        let config = try receiver(#"{"name": "x", "type": "pagerduty", "routing_key": "SEKRET", "bearer_token": "SEKRET"}"#)
        var dumped = ""
        dump(config, to: &dumped)
        #expect(!"\(config)".contains("SEKRET") && !dumped.contains("SEKRET") && !String(reflecting: config).contains("SEKRET"))
        let bad = ReceiverConfig(name: "y", type: .webhook, url: "http://h")
        var withEnv = bad
        withEnv.bearerTokenEnv = "NOT_SET_ANYWHERE"
        #expect { try ReceiverCredentials(withEnv, index: 3, environment: [:]) } throws: {
            "\($0)" == "receivers[3] \"y\": bearer_token_env: environment variable NOT_SET_ANYWHERE is not set"
        }
    }

    @Test("credentials come from a file or the environment", arguments: [
        ("file", "Bearer from-file"), ("env", "Bearer from-env"), ("basic", "Basic dTpwdw=="),
    ])
    func credentials(source: String, header: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(UUID().uuidString)")
        try "from-file\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        var config = ReceiverConfig(name: "x", type: .webhook, url: "http://h")
        switch source {
        case "file": config.bearerTokenFile = file.path
        case "env": config.bearerTokenEnv = "TOKEN"
        default: config.basicAuth = try JSONDecoder().decode(ReceiverConfig.BasicAuth.self, from: Data(#"{"username": "u", "password_env": "PW"}"#.utf8))
        }
        let resolved = try ReceiverCredentials(config, index: 0, environment: ["TOKEN": "from-env", "PW": "pw"])
        #expect(resolved.authorization?.value == header)
    }

    @Test("matchers pick alerts: equality, anchored regex, missing label as empty", arguments: [
        (["severity": "critical"], [:], ["severity": "critical"], true),
        (["severity": "critical"], [:], ["severity": "warning"], false),
        ([:], ["severity": "crit"], ["severity": "critical"], false),
        ([:], ["severity": "crit.*"], ["severity": "critical"], true),
        (["team": ""], [:], ["severity": "critical"], true),
    ] as [([String: String], [String: String], [String: String], Bool)])
    func matching(equal: [String: String], regex: [String: String], labels: [String: String], accepted: Bool) {
        var config = ReceiverConfig(name: "x", type: .webhook, url: "http://h")
        config.match = equal
        config.matchRE = regex
        #expect(AlertRoute(config).accepts(labels) == accepted)
    }
}
