import Foundation
import Synchronization
import Testing
@testable import Notify
import TestSupport

/// The notification log across a restart: a dispatcher notifies, is shut down, and a new one
/// starts on the same storage directory, as `kafka-health-monitor run` does after a deploy or
/// a crash; the rules then send what still fires. Real HTTP servers on 127.0.0.1, timings
/// scaled down by `fastDelivery` (`group_wait` 0, `group_interval` 100 ms, `repeat_interval`
/// 4h); the downtime is played by a clock set ahead.
@Suite("Notification log across restarts", .serialized, .timeLimit(.minutes(1)))
struct RestartTests {
    @Test("a group still firing with the same alerts is sent again only once repeat_interval passed", arguments: [
        (60.0, false), (4.0 * 3600 + 60, true),
    ])
    func stillFiring(downtime: TimeInterval, resent: Bool) async throws {
        let server = try HTTPReceiver()
        defer { server.stop() }
        let storage = try await notifiedBeforeRestart([firing("A")], server: server)
        let restarted = try DeliveryHarness([webhookReceiver(port: server.port)], storage: storage,
                                            clock: ShiftedClock(offset: downtime))
        defer { restarted.finish() }
        await restarted.dispatcher.send([firing("A")])  // the rules fire it again
        await restarted.dispatcher.send([firing("B")])  // a new group: proves delivery goes on
        _ = await server.waitFor(resent ? 3 : 2, timeout: 5)
        try await Task.sleep(for: .milliseconds(300))  // several group intervals: a re-send would show
        #expect(server.received.map(groupAndStatus) == ["{}:{alertname=\"A\"} firing"]
                + (resent ? ["{}:{alertname=\"A\"} firing", "{}:{alertname=\"B\"} firing"] : ["{}:{alertname=\"B\"} firing"]))
    }

    @Test("a group with a new alert is notified at its next flush, with the alert notified before")
    func changedGroup() async throws {
        let server = try HTTPReceiver()
        defer { server.stop() }
        let storage = try await notifiedBeforeRestart([firing("A")], server: server)
        let restarted = try DeliveryHarness([webhookReceiver(port: server.port)], storage: storage)
        defer { restarted.finish() }
        #expect(restarted.logs.all.contains { $0.hasPrefix("info notification log resumed: 1 groups already notified") })
        await restarted.dispatcher.send([firing("A"), firing("A", extra: ["id": "2"])])
        let requests = await server.waitFor(2, timeout: 5)
        try #require(requests.count == 2)
        #expect(groupAndStatus(requests[1]) == "{}:{alertname=\"A\"} firing")
        #expect(alertIDs(requests[1]) == ["1 firing", "2 firing"])
    }

    @Test("an alert that resolved while the process was down is notified resolved")
    func resolvedWhileDown() async throws {
        let server = try HTTPReceiver()
        defer { server.stop() }
        let storage = try await notifiedBeforeRestart([firing("A"), firing("A", extra: ["id": "2"])], server: server)
        var options = fastDelivery
        options.restoredAlertTimeout = 60
        // The expiry is moved past by advancing the clock, not by waiting: on a loaded
        // machine a real one-second timeout could pass before the first check.
        let clock = AdjustableClock()
        let restarted = try DeliveryHarness([webhookReceiver(port: server.port)], storage: storage, options: options,
                                            clock: clock)
        defer { restarted.finish() }
        await restarted.dispatcher.send([firing("A")])  // only id 1 fires again
        try await Task.sleep(for: .milliseconds(300))  // several group intervals
        #expect(server.received.count == 1, "nothing before the restored alerts expire")
        clock.advance(by: 61)
        let requests = await server.waitFor(2, timeout: 5)
        try #require(requests.count == 2)
        #expect(alertIDs(requests[1]) == ["1 firing", "2 resolved"])
        #expect(webhookMessage(requests[1])["groupKey"] as? String == "{}:{alertname=\"A\"}")
    }

    @Test("entries expire: after a downtime beyond the retention, nothing is resumed", arguments: [
        (3600.0, true), (6.0 * 24 * 3600, false),
    ])
    func expiry(downtime: TimeInterval, resolutionSent: Bool) async throws {
        let server = try HTTPReceiver()
        defer { server.stop() }
        let storage = try await notifiedBeforeRestart([firing("A")], server: server)
        #expect(try storedGroups(storage) == ["oncall {}:{alertname=\"A\"}"])
        var options = fastDelivery
        options.restoredAlertTimeout = 0.1
        let restarted = try DeliveryHarness([webhookReceiver(port: server.port)], storage: storage, options: options,
                                            clock: ShiftedClock(offset: downtime))
        defer { restarted.finish() }
        _ = await server.waitFor(resolutionSent ? 2 : 1, timeout: 3)
        try await Task.sleep(for: .milliseconds(200))
        #expect(server.received.map(groupAndStatus).dropFirst() == (resolutionSent ? ["{}:{alertname=\"A\"} resolved"] : []))
        #expect(await eventually { (try? storedGroups(storage)) == [] }, "a resolved group's entry goes, an expired one too")
    }

    @Test("a receiver restarted with another group_by or type starts afresh, as a reload would", arguments: [
        Restarted.regrouped, .retyped,
    ])
    func changedScope(_ change: Restarted) async throws {
        let server = try HTTPReceiver()
        defer { server.stop() }
        let storage = try await notifiedBeforeRestart([firing("A")], server: server)
        let restarted = try DeliveryHarness([change.applied(to: webhookReceiver(port: server.port))], storage: storage)
        defer { restarted.finish() }
        #expect(await eventually { (try? storedGroups(storage)) == [] }, "the old entry is deleted")
        await restarted.dispatcher.send([firing("A")])
        #expect(await server.waitFor(2, timeout: 5).count == 2, "notified again")
    }

    @Test("receivers that no longer exist keep no state: at start, on reload, and when group_by changes")
    func removedReceivers() async throws {
        let server = try HTTPReceiver()
        defer { server.stop() }
        let storage = try await notifiedBeforeRestart([firing("A")], server: server, receivers: ["oncall", "gone"])
        #expect(try storedGroups(storage) == ["gone {}:{alertname=\"A\"}", "oncall {}:{alertname=\"A\"}"])

        let oncall = webhookReceiver(port: server.port), other = webhookReceiver("other", port: server.port)
        let restarted = try DeliveryHarness([oncall, other], storage: storage)
        defer { restarted.finish() }
        #expect(await eventually { (try? storedGroups(storage)) == ["oncall {}:{alertname=\"A\"}"] }, "at start")
        await restarted.dispatcher.send([firing("A")])
        #expect(await server.waitFor(3, timeout: 5).count == 3, "new to other")
        #expect(await eventually { (try? storedGroups(storage)) == ["oncall {}:{alertname=\"A\"}", "other {}:{alertname=\"A\"}"] })

        restarted.dispatcher.apply(try restarted.dispatcher.prepare([oncall]))
        #expect(await eventually { (try? storedGroups(storage)) == ["oncall {}:{alertname=\"A\"}"] }, "on reload")
        var regrouped = oncall
        regrouped.groupBy = ["alertname", "id"]
        restarted.dispatcher.apply(try restarted.dispatcher.prepare([regrouped]))
        #expect(await eventually { (try? storedGroups(storage)) == [] }, "group_by changed")
        await restarted.dispatcher.send([firing("A")])
        #expect(await eventually { (try? storedGroups(storage)) == ["oncall {}:{alertname=\"A\", id=\"1\"}"] })
    }
}

/// How a receiver's settings differ after a restart.
enum Restarted: Sendable {
    case regrouped, retyped

    func applied(to config: ReceiverConfig) -> ReceiverConfig {
        var config = config
        switch self {
        case .regrouped: config.groupBy = ["alertname", "id"]
        case .retyped: config.type = .slack
        }
        return config
    }
}

/// A storage directory where the receivers `receivers` (webhooks to `server`) notified `alerts`,
/// and the dispatcher then stopped.
func notifiedBeforeRestart(_ alerts: [NotifyAlert], server: HTTPReceiver, receivers: [String] = ["oncall"]) async throws
    -> URL {
    let before = try DeliveryHarness(receivers.map { webhookReceiver($0, port: server.port) })
    defer { before.stop() }
    await before.dispatcher.send(alerts)
    try #require(await server.waitFor(receivers.count, timeout: 5).count == receivers.count, "notified before the restart")
    return before.storage
}

/// The stored notification log of `storage` as `"<receiver> <group key>"`.
func storedGroups(_ storage: URL) throws -> [String] {
    try Outbox(directory: storage.path).notificationLog(at: Date()).map { "\($0.receiver) \($0.groupKey)" }
}

/// `"<id> <status>"` of each alert of a webhook request, sorted.
func alertIDs(_ request: HTTPReceiver.Request) -> [String] {
    let alerts = webhookMessage(request)["alerts"] as? [[String: Any]] ?? []
    return alerts.map { alert in
        "\((alert["labels"] as? [String: String])?["id"] ?? "?") \(alert["status"] as? String ?? "?")"
    }.sorted()
}

/// The wall clock moved ahead by `offset` seconds: a restart after that much downtime.
struct ShiftedClock: NotifyClock {
    let offset: TimeInterval
    func now() -> Date { Date().addingTimeInterval(offset) }
}

/// The wall clock, moved ahead whenever the test says so.
final class AdjustableClock: NotifyClock {
    private let offset = Mutex<TimeInterval>(0)
    func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }
    /// Moves the clock `seconds` ahead.
    func advance(by seconds: TimeInterval) { offset.withLock { $0 += seconds } }
}
