import Foundation
import Testing
@testable import Notify

private func json(_ data: Data) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

@Suite("Payload formats")
struct PayloadTests {
    private let batch = NotificationBatch(
        groupKey: "{}:{alertname=\"A\"}", groupLabels: ["alertname": "A"],
        alerts: [alert("A", id: "1"), alert("A", id: "2", resolvedAt: 50)], at: at(60))

    @Test("webhook: Alertmanager's version 4 message")
    func webhook() throws {
        let message = try json(encodePayload(WebhookPayload(batch, receiver: "oncall", externalURL: "http://m:9090", maxAlerts: 0)))
        #expect(Set(message.keys) == ["receiver", "status", "alerts", "groupLabels", "commonLabels", "commonAnnotations",
                                      "externalURL", "version", "groupKey", "truncatedAlerts"])
        #expect(message["version"] as? String == "4" && message["status"] as? String == "firing")
        #expect(message["groupKey"] as? String == "{}:{alertname=\"A\"}" && message["receiver"] as? String == "oncall")
        #expect(message["commonLabels"] as? [String: String] == ["alertname": "A"])
        #expect(message["commonAnnotations"] as? [String: String] == [:])
        #expect(message["truncatedAlerts"] as? Int == 0)
        let alerts = try #require(message["alerts"] as? [[String: Any]])
        let firing = try #require(alerts.first { $0["status"] as? String == "firing" })
        let resolved = try #require(alerts.first { $0["status"] as? String == "resolved" })
        #expect(Set(firing.keys) == ["status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"])
        #expect(firing["endsAt"] as? String == "0001-01-01T00:00:00Z")
        #expect(firing["startsAt"] as? String == RFC3339.format(at(0)))
        #expect(resolved["endsAt"] as? String == RFC3339.format(at(50)))
        #expect(firing["fingerprint"] as? String == alert("A", id: "1").fingerprintHex)
    }

    @Test("webhook: all resolved makes the group resolved; max_alerts truncates and counts")
    func webhookResolvedAndTruncated() throws {
        let resolved = NotificationBatch(groupKey: "k", groupLabels: [:], alerts: [alert("A", resolvedAt: 1)], at: at(2))
        #expect(try json(encodePayload(WebhookPayload(resolved, receiver: "r", externalURL: "", maxAlerts: 0)))["status"] as? String == "resolved")
        let truncated = try json(encodePayload(WebhookPayload(batch, receiver: "r", externalURL: "", maxAlerts: 1)))
        #expect((truncated["alerts"] as? [Any])?.count == 1 && truncated["truncatedAlerts"] as? Int == 1)
    }

    @Test("alertmanager: an array of postable alerts with endsAt")
    func alertmanager() throws {
        let body = try #require(try JSONSerialization.jsonObject(with: encodePayload(AlertmanagerPayload(batch))) as? [[String: Any]])
        #expect(body.count == 2)
        #expect(Set(body[0].keys) == ["labels", "annotations", "startsAt", "generatorURL"])  // firing: no endsAt given
        #expect(body[1]["endsAt"] as? String == RFC3339.format(at(50)))
    }

    @Test("slack: red while firing, green when resolved")
    func slack() throws {
        let firing = try json(encodePayload(SlackPayload(batch, channel: "#kafka", maxAlerts: 0)))
        let attachment = try #require((firing["attachments"] as? [[String: Any]])?.first)
        #expect(firing["channel"] as? String == "#kafka" && attachment["color"] as? String == "danger")
        #expect((attachment["text"] as? String)?.contains("[resolved]") == true)
        let resolved = NotificationBatch(groupKey: "k", groupLabels: [:], alerts: [alert("A", resolvedAt: 1)], at: at(2))
        let green = try json(encodePayload(SlackPayload(resolved, channel: nil, maxAlerts: 0)))
        #expect((green["attachments"] as? [[String: Any]])?.first?["color"] as? String == "good")
    }

    @Test("pagerduty: trigger then resolve under the same dedup_key; routing key added at send time")
    func pagerduty() throws {
        let trigger = PagerDutyPayload(batch, receiver: "pd", externalURL: "http://m")
        let resolved = NotificationBatch(groupKey: batch.groupKey, groupLabels: [:], alerts: [alert("A", resolvedAt: 1)], at: at(2))
        let resolve = PagerDutyPayload(resolved, receiver: "pd", externalURL: "http://m")
        #expect(trigger.eventAction == "trigger" && resolve.eventAction == "resolve")
        #expect(trigger.dedupKey == resolve.dedupKey && trigger.dedupKey.count == 16)
        #expect(trigger.payload?.severity == "critical" && trigger.payload?.summary == "A 1 is broken")
        let stored = encodePayload(trigger)
        #expect(!String(decoding: stored, as: UTF8.self).contains("routing_key"))
        let sent = try json(PagerDutyPayload.addingRoutingKey(Secret("KEY"), to: stored))
        #expect(sent["routing_key"] as? String == "KEY" && sent["event_action"] as? String == "trigger")
    }
}
