import Alerts
import Foundation
import Notify
import PromQL
import Testing
import TimeSeries
import Yams
@testable import kafka_health_monitor

/// The pure parts of the wiring: the collection grid, the API's number formats, how much
/// history rules need, the alert conversion, and positioned receiver errors.
struct WiringTests {
    @Test(arguments: [
        // previous, delay, interval, now → next
        (1_000_300, 500, 500, 1_000_310, 1_001_000),   // first (unaligned) collection: next grid point ≥ previous + delay
        (1_001_000, 500, 500, 1_001_020, 1_001_500),   // steady state: one interval later
        (1_001_000, 500, 500, 1_002_100, 1_002_500),   // overran: the missed grid points are skipped
        (1_001_000, 2_000, 500, 1_001_020, 1_003_000), // backoff after failures: still on the grid
        (30_000, 30_000, 30_000, 30_005, 60_000),
    ] as [(Int64, Int64, Int64, Int64, Int64)])
    func collectionsRunOnTheIntervalGrid(previous: Int64, delay: Int64, interval: Int64, now: Int64, next: Int64) {
        #expect(CollectionLoop.nextCollection(after: previous, delay: delay, interval: interval, now: now) == next)
    }

    @Test(arguments: [
        (1_700_000_000_000, "1700000000"), (1_700_000_000_500, "1700000000.5"), (1_700_000_000_123, "1700000000.123"),
        (1_700_000_000_050, "1700000000.05"), (0, "0"),
    ] as [(Int64, String)])
    func timestampsPrintAsPrometheusSeconds(milliseconds: Int64, text: String) {
        #expect(JSONValue.seconds(milliseconds).text == text)
    }

    @Test func jsonStringsAreEscaped() {
        let value = JSONValue.object([("a\"b", .string("line\nbreak\\ \u{01}")), ("n", .array([.number("1"), .null, .bool(true)]))])
        #expect(value.text == #"{"a\"b":"line\nbreak\\ \u0001","n":[1,null,true]}"#)
    }

    @Test(arguments: [
        ("up", 0), ("up offset 1m", 60_000), ("rate(x[5m])", 300_000), ("rate(x[5m] offset 10m)", 900_000),
        ("max_over_time(rate(x[1m])[30m:1m])", 1_860_000), ("max_over_time(a[2m:]) + on() group_left b", 120_000),
    ] as [(String, Int64)])
    func rulesNeedTheirLongestWindow(expression: String, window: Int64) throws {
        let expr = try PromQLParser.parse(expression)
        #expect(RuleRetention.window(of: expr) == window)
    }

    @Test func alertsConvertAsPrometheusSendsThem() {
        var firing = Alert(state: .firing, labels: ["alertname": "KafkaBrokerOffline", "broker_id": "2"],
                           annotations: ["summary": "Kafka broker 2 is offline"], value: 0, activeAt: 1_000_000)
        firing.firedAt = 1_060_000
        firing.validUntil = 1_300_000
        firing.expression = "kafka_broker_online == 0"
        let sent = NotifyAlert(firing, externalURL: "http://monitor:9090/")
        #expect(sent.labels == ["alertname": "KafkaBrokerOffline", "broker_id": "2"])
        #expect(sent.startsAt == Date(timeIntervalSince1970: 1060))
        #expect(sent.endsAt == Date(timeIntervalSince1970: 1300))
        #expect(sent.generatorURL == "http://monitor:9090/graph?g0.expr=kafka_broker_online%20%3D%3D%200&g0.tab=1")
        var resolved = firing
        resolved.state = .inactive
        resolved.resolvedAt = 1_120_000
        #expect(NotifyAlert(resolved, externalURL: "").endsAt == Date(timeIntervalSince1970: 1120))
    }

    @Test(arguments: [
        ("- {name: a, type: webhook, url: 'http://h/x', group_wait: 3x}", ["c.yml:1:59: group_wait: invalid duration \"3x\": unknown unit \"x\""]),
        ("- {name: a, type: webhook, url: 'http://h/x', colour: red}", ["c.yml:1:47: unknown receiver field \"colour\""]),
        ("- {name: a, type: webhook}", ["c.yml:1:3: receiver \"a\": url: a webhook receiver needs a url"]),
        ("- {name: a, type: webhook, url: 'ftp://h'}", ["c.yml:1:33: receiver \"a\": url: \"ftp://h\" is not an http(s) URL"]),
        ("- {name: a, type: pager}", ["c.yml:1:19: type: unknown receiver type \"pager\""]),
    ] as [(String, [String])])
    func receiverErrorsPointIntoTheConfigFile(yaml: String, expected: [String]) throws {
        let nodes = Array(try #require(try Yams.compose(yaml: yaml)?.sequence))
        #expect(throws: ConfigErrors.self) { _ = try ReceiverConfigLoader.load(nodes, file: "c.yml") }
        do {
            _ = try ReceiverConfigLoader.load(nodes, file: "c.yml")
        } catch {
            let lines = error.errors.map(\.description)
            #expect(lines.count == expected.count, "\(lines)")
            for (line, prefix) in zip(lines, expected) { #expect(line.hasPrefix(prefix), "\(line)") }
        }
    }
}
