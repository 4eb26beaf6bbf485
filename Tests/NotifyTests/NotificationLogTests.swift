import Foundation
import Testing
@testable import Notify
import TestSupport

/// A grouping scenario after a restart: the grouper resumes `log` (what was notified before,
/// by group key) at `restart`, then `steps` run as in `AlertGrouperTests`. Settings:
/// `group_wait` 30s, `group_interval` 5m, `repeat_interval` 1h, alerts restored without the
/// rules sending them again expire 10m after the restart.
struct RestartScenario: Sendable, CustomStringConvertible {
    let name: String
    var sendResolved = true
    let log: [String: NotificationLog.Entry]
    let restart: TimeInterval
    /// Only restored alerts of these ids are kept (the receiver's matchers after the restart).
    var matching: Set<String> = ["1", "2"]
    let steps: [GroupStep]
    var description: String { name }
}

private let keyA = "{}:{alertname=\"A\"}"
private let keyB = "{}:{alertname=\"B\"}"

/// A log entry: group `name` notified at `notifiedAt` with alerts `firing` (ids) firing.
private func notified(_ name: String, firing ids: [String], resolved: [String] = [], at notifiedAt: TimeInterval = 30)
    -> NotificationLog.Entry {
    NotificationLog.Entry(groupLabels: ["alertname": name], firing: ids.map { alert(name, id: $0) },
                          resolved: Set(resolved.map { alert(name, id: $0).fingerprint }), notifiedAt: at(notifiedAt))
}

private let settings = AlertGrouper.Settings(groupBy: ["alertname"], groupWait: 30, groupInterval: 300,
                                             repeatInterval: 3600, sendResolved: true)

@Suite("Notification log: what a restart resumes")
struct NotificationLogTests {
    static let scenarios: [RestartScenario] = [
        RestartScenario(name: "a group still firing is not sent again before repeat_interval since its last notification",
                        log: [keyA: notified("A", firing: ["1"], at: 30)], restart: 3000, steps: [
            GroupStep(t: 3000, insert: [alert("A", since: 3000)], sent: []),  // the rules fire it again
            GroupStep(t: 3300, sent: []),
            GroupStep(t: 3600, sent: []),  // 3570 s after the last notification
            GroupStep(t: 3900, sent: ["\(keyA) A1+"]),
        ]),
        RestartScenario(name: "a new alert in a restored group is notified at its next flush",
                        log: [keyA: notified("A", firing: ["1"])], restart: 1000, steps: [
            GroupStep(t: 1000, insert: [alert("A", since: 1000)], sent: []),
            GroupStep(t: 1010, insert: [alert("A", id: "2", since: 1010)], sent: []),
            GroupStep(t: 1300, sent: ["\(keyA) A1+ A2+"]),
            GroupStep(t: 1600, sent: []),
        ]),
        RestartScenario(name: "an alert that resolved while the process was down is notified resolved after the timeout",
                        log: [keyA: notified("A", firing: ["1", "2"])], restart: 1000, steps: [
            GroupStep(t: 1000, insert: [alert("A", since: 1000)], sent: []),
            GroupStep(t: 1300, insert: [alert("A", since: 1000)], sent: []),
            GroupStep(t: 1600, insert: [alert("A", since: 1000)], sent: ["\(keyA) A1+ A2-"]),
            GroupStep(t: 1900, insert: [alert("A", since: 1000)], sent: []),
        ]),
        RestartScenario(name: "a group wholly resolved while the process was down is notified resolved, then gone",
                        log: [keyA: notified("A", firing: ["1"]), keyB: notified("B", firing: ["1", "2"])], restart: 1000,
                        steps: [
            GroupStep(t: 1000, insert: [alert("A", since: 1000)], sent: []),
            GroupStep(t: 1300, sent: []),
            GroupStep(t: 1600, sent: ["\(keyB) B1- B2-"]),
            GroupStep(t: 1900, sent: []),
            GroupStep(t: 5000, sent: ["\(keyA) A1+"]),  // A's repeat; B stays quiet
        ]),
        RestartScenario(name: "a resolution the rules send after the restart is notified at the next flush",
                        log: [keyA: notified("A", firing: ["1", "2"])], restart: 1000, steps: [
            GroupStep(t: 1000, insert: [alert("A", since: 1000), alert("A", id: "2", since: 1000, resolvedAt: 1005)], sent: []),
            GroupStep(t: 1300, sent: ["\(keyA) A1+ A2-"]),
        ]),
        RestartScenario(name: "a resolution already notified before the restart is not notified again",
                        log: [keyA: notified("A", firing: ["1"], resolved: ["2"])], restart: 1000, steps: [
            GroupStep(t: 1000, insert: [alert("A", since: 1000), alert("A", id: "2", resolvedAt: 20)], sent: []),
            GroupStep(t: 1300, sent: []),
        ]),
        RestartScenario(name: "without send_resolved an alert that resolved while down goes silently",
                        sendResolved: false, log: [keyA: notified("A", firing: ["1", "2"])], restart: 1000, steps: [
            GroupStep(t: 1000, insert: [alert("A", since: 1000)], sent: []),
            GroupStep(t: 1600, insert: [alert("A", since: 1000)], sent: []),
            GroupStep(t: 1900, sent: []),
        ]),
        RestartScenario(name: "restored alerts the receiver's matchers no longer accept are left out, unresolved",
                        log: [keyA: notified("A", firing: ["1", "2"]), keyB: notified("B", firing: ["2"])], restart: 1000,
                        matching: ["1"], steps: [
            GroupStep(t: 1000, insert: [alert("A", since: 1000)], sent: []),
            GroupStep(t: 1600, insert: [alert("A", since: 1000)], sent: []),
            GroupStep(t: 1900, sent: []),
        ]),
    ]

    @Test("a restarted grouper follows Alertmanager's notification log", arguments: scenarios)
    func scenario(_ scenario: RestartScenario) {
        var settings = settings
        settings.sendResolved = scenario.sendResolved
        var grouper = AlertGrouper(settings: settings, restoring: scenario.log, now: at(scenario.restart), alertTimeout: 600) {
            scenario.matching.contains($0.labels["id"]!)
        }
        play(scenario.steps, on: &grouper, scenario.name)
    }

    @Test("every notification records its group's entry; a resolved group's notification forgets it")
    func updatesFollowNotifications() {
        var grouper = AlertGrouper(settings: settings)
        grouper.insert(alert("A"), now: at(0))
        #expect(grouper.flushDue(now: at(0)).isEmpty && grouper.takeLogUpdates().isEmpty, "nothing notified yet")
        #expect(grouper.flushDue(now: at(30)).count == 1)
        #expect(grouper.takeLogUpdates() == NotificationLog.Updates(groups: [
            keyA: .record(NotificationLog.Entry(groupLabels: ["alertname": "A"], firing: [alert("A")], resolved: [],
                                                notifiedAt: at(30))),
        ]))
        #expect(grouper.takeLogUpdates().isEmpty, "taken once")
        #expect(grouper.flushDue(now: at(330)).isEmpty && grouper.takeLogUpdates().isEmpty, "no notification, no change")
        grouper.insert(alert("A", resolvedAt: 400), now: at(400))
        #expect(grouper.flushDue(now: at(630)).map(summary) == ["\(keyA) A1-"])
        #expect(grouper.takeLogUpdates() == NotificationLog.Updates(groups: [keyA: .forget]))
    }

    @Test("a restored grouper rewrites the log with what it resumed; a fresh one after group_by changed voids it")
    func restoredAndReplacedLogs() {
        var restored = AlertGrouper(settings: settings, restoring: [keyA: notified("A", firing: ["1", "2"])], now: at(1000),
                                    alertTimeout: 600) { $0.labels["id"] == "1" }
        #expect(restored.takeLogUpdates() == NotificationLog.Updates(forgetAll: true, groups: [keyA: .record(notified("A", firing: ["1"]))]))
        var fresh = AlertGrouper(settings: settings, replacingLog: true)
        #expect(fresh.takeLogUpdates() == NotificationLog.Updates(forgetAll: true))
    }

    @Test("a reload whose matchers empty a notified group forgets its entry")
    func reloadDropsGroups() {
        var grouper = AlertGrouper(settings: settings)
        grouper.insert(alert("A"), now: at(0))
        grouper.insert(alert("B"), now: at(0))
        _ = grouper.flushDue(now: at(30))
        _ = grouper.takeLogUpdates()
        var reloaded = grouper.reconfigured(settings) { $0.labels["alertname"] == "A" }
        #expect(reloaded.takeLogUpdates() == NotificationLog.Updates(groups: [keyB: .forget]))
    }

    @Test("the stored log round-trips, is written with the outbox rows, and drops expired rows when read")
    func storage() throws {
        let directory = try TestPaths.temporaryDirectory("khm-nflog")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Outbox.prepare(directory: directory.path)
        let scope = NotificationLog.Scope(type: .webhook, groupBy: ["alertname"])
        var entry = notified("A", firing: ["1", "2"], resolved: ["3"])
        entry.firing[0].annotations["description"] = "quotes \" and\nnewlines"
        let live = NotificationLog.Row(receiver: "oncall", groupKey: keyA, scope: scope, entry: entry, expiresAt: at(10_000))
        let old = NotificationLog.Row(receiver: "oncall", groupKey: keyB, scope: scope, entry: notified("B", firing: ["1"]),
                                      expiresAt: at(100))
        let other = NotificationLog.Row(receiver: "slack", groupKey: "{}:{}", scope: NotificationLog.Scope(type: .slack, groupBy: []),
                                        entry: notified("C", firing: ["1"]), expiresAt: at(10_000))
        do {
            let outbox = try Outbox(directory: directory.path)
            let queued = Outbox.Entry(receiver: "oncall", groupKey: keyA, url: "http://h/", payload: Data("{}".utf8),
                                      nextAttempt: at(30), created: at(30))
            _ = try outbox.write([queued], log: [.record(live), .record(old), .record(other)])
            #expect(try outbox.count(receiver: "oncall") == 1)
        }
        let reopened = try Outbox(directory: directory.path)
        #expect(try reopened.notificationLog(at: at(50)) == [live, old, other])
        #expect(try reopened.notificationLog(at: at(100)) == [live, other], "expired rows are deleted")
        #expect(try reopened.notificationLog(at: at(50)) == [live, other])
        _ = try reopened.write([], log: [.forget(receiver: "oncall", groupKey: keyA)])
        #expect(try reopened.notificationLog(at: at(50)) == [other])
        _ = try reopened.write([], log: [.record(live), .forgetReceiver("slack")])
        #expect(try reopened.notificationLog(at: at(50)) == [live])
        _ = try reopened.write([], log: [.forgetAll])
        #expect(try reopened.notificationLog(at: at(50)).isEmpty)
    }
}
