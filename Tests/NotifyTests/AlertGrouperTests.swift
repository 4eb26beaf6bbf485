import Foundation
import Testing
@testable import Notify

/// One moment of a grouping scenario: alerts arriving at `t`, then the groups due at `t`
/// flushed; `sent` is what must go out (see `summary`).
struct GroupStep: Sendable, CustomStringConvertible {
    let t: TimeInterval
    var insert: [NotifyAlert] = []
    let sent: [String]
    var description: String { "t=\(t)" }
}

/// Runs `steps` on `grouper` (each step's alerts inserted at its `t`, then the groups due at
/// `t` flushed) and expects each step's `sent`.
func play(_ steps: [GroupStep], on grouper: inout AlertGrouper, _ name: String) {
    for step in steps {
        for alert in step.insert { grouper.insert(alert, now: at(step.t)) }
        let sent = grouper.flushDue(now: at(step.t)).map(summary)
        #expect(sent == step.sent, "\(name) at t=\(step.t)")
    }
}

/// A named scenario for a receiver with `group_wait` 30s, `group_interval` 5m, `repeat_interval`
/// 1h (unless changed), grouped by alertname.
struct GroupScenario: Sendable, CustomStringConvertible {
    let name: String
    var sendResolved = true
    var groupBy = ["alertname"]
    var repeatInterval: TimeInterval = 3600
    let steps: [GroupStep]
    var description: String { name }
}

private let keyA = "{}:{alertname=\"A\"}"
private let keyB = "{}:{alertname=\"B\"}"

@Suite("Alertmanager grouping semantics")
struct AlertGrouperTests {
    static let scenarios: [GroupScenario] = [
        GroupScenario(name: "first notification waits group_wait", steps: [
            GroupStep(t: 0, insert: [alert("A")], sent: []),
            GroupStep(t: 29, sent: []),
            GroupStep(t: 30, sent: ["\(keyA) A1+"]),
            GroupStep(t: 31, sent: []),
        ]),
        GroupScenario(name: "a new alert in a notified group waits for group_interval", steps: [
            GroupStep(t: 0, insert: [alert("A")], sent: []),
            GroupStep(t: 30, sent: ["\(keyA) A1+"]),
            GroupStep(t: 40, insert: [alert("A", id: "2", since: 40)], sent: []),
            GroupStep(t: 329, sent: []),
            GroupStep(t: 330, sent: ["\(keyA) A1+ A2+"]),
        ]),
        GroupScenario(name: "alerts arriving during group_wait are batched", steps: [
            GroupStep(t: 0, insert: [alert("A")], sent: []),
            GroupStep(t: 10, insert: [alert("A", id: "2", since: 10), alert("A", id: "3", since: 10)], sent: []),
            GroupStep(t: 30, sent: ["\(keyA) A1+ A2+ A3+"]),
        ]),
        GroupScenario(name: "group_by splits alerts into groups", steps: [
            GroupStep(t: 0, insert: [alert("A"), alert("B")], sent: []),
            GroupStep(t: 30, sent: ["\(keyA) A1+", "\(keyB) B1+"]),
        ]),
        GroupScenario(name: "empty group_by puts every alert in one group", groupBy: [], steps: [
            GroupStep(t: 0, insert: [alert("A"), alert("B")], sent: []),
            GroupStep(t: 30, sent: ["{}:{} A1+ B1+"]),
        ]),
        GroupScenario(name: "group_by ... groups by all labels", groupBy: ["..."], steps: [
            GroupStep(t: 0, insert: [alert("A"), alert("A", id: "2")], sent: []),
            GroupStep(t: 30, sent: ["{}:{alertname=\"A\", id=\"1\"} A1+", "{}:{alertname=\"A\", id=\"2\"} A2+"]),
        ]),
        GroupScenario(name: "an unchanged firing group repeats only after repeat_interval", repeatInterval: 600, steps: [
            GroupStep(t: 0, insert: [alert("A")], sent: []),
            GroupStep(t: 30, sent: ["\(keyA) A1+"]),
            GroupStep(t: 330, sent: []),
            GroupStep(t: 630, sent: []),  // exactly repeat_interval later: Alertmanager waits for the next tick
            GroupStep(t: 930, sent: ["\(keyA) A1+"]),
        ]),
        GroupScenario(name: "a resolved group is notified once and removed", steps: [
            GroupStep(t: 0, insert: [alert("A")], sent: []),
            GroupStep(t: 30, sent: ["\(keyA) A1+"]),
            GroupStep(t: 100, insert: [alert("A", resolvedAt: 100)], sent: []),
            GroupStep(t: 330, sent: ["\(keyA) A1-"]),
            GroupStep(t: 630, sent: []),
            GroupStep(t: 5000, sent: []),
        ]),
        GroupScenario(name: "without send_resolved the resolution is not sent", sendResolved: false, steps: [
            GroupStep(t: 0, insert: [alert("A"), alert("A", id: "2")], sent: []),
            GroupStep(t: 30, sent: ["\(keyA) A1+ A2+"]),
            GroupStep(t: 100, insert: [alert("A", id: "2", resolvedAt: 100)], sent: []),
            GroupStep(t: 330, sent: []),
            GroupStep(t: 400, insert: [alert("A", resolvedAt: 400)], sent: []),
            GroupStep(t: 630, sent: []),
        ]),
        GroupScenario(name: "a partial resolution is sent with the firing rest, then nothing", steps: [
            GroupStep(t: 0, insert: [alert("A"), alert("A", id: "2")], sent: []),
            GroupStep(t: 30, sent: ["\(keyA) A1+ A2+"]),
            GroupStep(t: 60, insert: [alert("A", id: "2", resolvedAt: 60)], sent: []),
            GroupStep(t: 330, sent: ["\(keyA) A1+ A2-"]),
            GroupStep(t: 630, sent: []),
        ]),
        GroupScenario(name: "an alert that fires and resolves within group_wait is never sent", steps: [
            GroupStep(t: 0, insert: [alert("A")], sent: []),
            GroupStep(t: 10, insert: [alert("A", resolvedAt: 10)], sent: []),
            GroupStep(t: 30, sent: []),
            GroupStep(t: 330, sent: []),
        ]),
        GroupScenario(name: "a resolved alert nobody saw firing creates no group", steps: [
            GroupStep(t: 0, insert: [alert("A", resolvedAt: 0)], sent: []),
            GroupStep(t: 30, sent: []),
        ]),
        GroupScenario(name: "an alert older than group_wait is sent at once", steps: [
            GroupStep(t: 100, insert: [alert("A", since: 0)], sent: ["\(keyA) A1+"]),
        ]),
        GroupScenario(name: "a group that fires again after resolving starts over", steps: [
            GroupStep(t: 0, insert: [alert("A")], sent: []),
            GroupStep(t: 30, sent: ["\(keyA) A1+"]),
            GroupStep(t: 40, insert: [alert("A", resolvedAt: 40)], sent: []),
            GroupStep(t: 330, sent: ["\(keyA) A1-"]),
            GroupStep(t: 400, insert: [alert("A", since: 400)], sent: []),
            GroupStep(t: 430, sent: ["\(keyA) A1+"]),
        ]),
    ]

    @Test("grouping follows Alertmanager", arguments: scenarios)
    func scenario(_ scenario: GroupScenario) {
        var grouper = AlertGrouper(settings: AlertGrouper.Settings(
            groupBy: scenario.groupBy, groupWait: 30, groupInterval: 300,
            repeatInterval: scenario.repeatInterval, sendResolved: scenario.sendResolved))
        play(scenario.steps, on: &grouper, scenario.name)
    }

    @Test("the next deadline is the earliest group timer")
    func nextDeadline() {
        var grouper = AlertGrouper(settings: AlertGrouper.Settings(
            groupBy: ["alertname"], groupWait: 30, groupInterval: 300, repeatInterval: 3600, sendResolved: true))
        #expect(grouper.nextDeadline == nil)
        grouper.insert(alert("A"), now: at(0))
        grouper.insert(alert("B", since: 10), now: at(10))
        #expect(grouper.nextDeadline == at(30))
        _ = grouper.flushDue(now: at(30))
        #expect(grouper.nextDeadline == at(40))
    }
}
