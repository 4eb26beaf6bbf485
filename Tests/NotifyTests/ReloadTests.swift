import Foundation
import Testing
@testable import Notify
import TestSupport

/// A config reload through `prepare` and `apply`, against real HTTP servers on 127.0.0.1
/// (timings scaled down by `fastDelivery`): what reaches which URL, what is kept, what is
/// refused.
@Suite("Receivers on reload", .serialized, .timeLimit(.minutes(1)))
struct ReloadTests {
    @Test("a changed URL takes the next notification, and the old URL gets nothing more")
    func changedURL() async throws {
        let old = try HTTPReceiver(), new = try HTTPReceiver()
        defer { old.stop(); new.stop() }
        let harness = try DeliveryHarness([webhookReceiver(port: old.port)])
        defer { harness.finish() }
        await harness.dispatcher.send([firing("A")])
        #expect(await old.waitFor(1, timeout: 5).count == 1)

        let changes = harness.dispatcher.apply(try harness.dispatcher.prepare([webhookReceiver(port: new.port)]))
        #expect(changes == ReceiverChanges(changed: ["oncall"]))
        await harness.dispatcher.send([firing("B")])
        let requests = await new.waitFor(1, timeout: 5)
        #expect(requests.map(groupAndStatus) == ["{}:{alertname=\"B\"} firing"])
        #expect(old.received.count == 1, "nothing more to the old URL")
    }

    @Test("a notification queued for an unreachable URL goes to the new URL at once after the reload")
    func queuedNotificationFollowsTheNewURL() async throws {
        let down = RefusingPort(), new = try HTTPReceiver()
        defer { down.release(); new.stop() }
        let harness = try await queuedBehind(down)
        defer { harness.finish() }

        harness.dispatcher.apply(try harness.dispatcher.prepare([webhookReceiver(port: new.port)]))
        let requests = await new.waitFor(1, timeout: 5)
        #expect(requests.map(groupAndStatus) == ["{}:{alertname=\"A\"} firing"])
        #expect(await harness.waitForMetrics { $0.queueLength == 0 && $0.latencyCount == 1 })
    }

    @Test("a rotated token file takes effect with the reload, though the settings are the same")
    func rotatedSecret() async throws {
        let server = try HTTPReceiver()
        defer { server.stop() }
        let storage = try TestPaths.temporaryDirectory("khm-notify")
        let token = storage.appendingPathComponent("token")
        try "first".write(to: token, atomically: true, encoding: .utf8)
        var config = webhookReceiver(port: server.port)
        config.bearerTokenFile = token.path
        let harness = try DeliveryHarness([config], storage: storage)
        defer { harness.finish() }
        await harness.dispatcher.send([firing("A")])
        #expect(await server.waitFor(1, timeout: 5).first?.headers["authorization"] == "Bearer first")

        try "second".write(to: token, atomically: true, encoding: .utf8)
        #expect(harness.dispatcher.apply(try harness.dispatcher.prepare([config])) == ReceiverChanges(changed: ["oncall"]))
        await harness.dispatcher.send([firing("B")])
        #expect(await server.waitFor(2, timeout: 5).last?.headers["authorization"] == "Bearer second")
    }

    @Test("an invalid list is refused with its problem, and the old receiver keeps delivering", arguments: [
        (Breakage.badURL, #"receivers[0] "oncall": url: "ftp://nowhere" is not an http(s) URL"#),
        (.unreadableSecret, #"receivers[0] "oncall": bearer_token_file: cannot read /nonexistent/token"#),
        (.typeChanged, #"receivers[0] "oncall": type: cannot change from webhook to slack on reload (its queued "#
            + "notifications are webhook payloads); give the receiver a new name"),
    ])
    func invalidListChangesNothing(_ breakage: Breakage, message: String) async throws {
        let server = try HTTPReceiver()
        defer { server.stop() }
        let config = webhookReceiver(port: server.port)
        let harness = try DeliveryHarness([config])
        defer { harness.finish() }
        let error = try #require(throws: ReceiverConfigErrors.self) {
            try harness.dispatcher.prepare([breakage.applied(to: config)])
        }
        #expect(error.description == message)

        await harness.dispatcher.send([firing("A")])
        let requests = await server.waitFor(1, timeout: 5)
        #expect(requests.map(groupAndStatus) == ["{}:{alertname=\"A\"} firing"])
        #expect(requests.first?.path == "/hook")
    }

    /// A reload that changes the receiver as `change` says, then the alert already notified
    /// arrives again (as the rules resend it): re-notified only when the groups changed.
    @Test("grouping state survives a reload unless group_by changes", arguments: [
        (Edit.nothing, false), (.urlTimeoutAndTimings, false), (.matchersStillMatching, false), (.groupBy, true),
    ])
    func groupingSurvives(_ edit: Edit, resent: Bool) async throws {
        let server = try HTTPReceiver()
        defer { server.stop() }
        let config = webhookReceiver(port: server.port)
        let harness = try DeliveryHarness([config])
        defer { harness.finish() }
        await harness.dispatcher.send([firing("A")])
        #expect(await server.waitFor(1, timeout: 5).count == 1)

        harness.dispatcher.apply(try harness.dispatcher.prepare([edit.applied(to: config)]))
        await harness.dispatcher.send([firing("A")])
        await harness.dispatcher.send([firing("B")])  // a new group: proves delivery goes on
        let requests = await server.waitFor(resent ? 3 : 2, timeout: 5)
        try await Task.sleep(for: .milliseconds(300))  // several group intervals: a re-send would show
        let groups = server.received.map(groupAndStatus).filter { $0.contains("\"A\"") }
        #expect(groups.count == (resent ? 2 : 1), "\(edit): \(requests.map(groupAndStatus))")
    }

    @Test("a removed receiver gets no new alerts, delivers its queue with its old settings, then its thread ends")
    func removedReceiverDrains() async throws {
        // The removed receiver's endpoint fails once, so a notification is queued at the reload.
        let removedServer = try HTTPReceiver { _, index in index == 0 ? .status(503) : .status(200) }
        let keptServer = try HTTPReceiver()
        defer { removedServer.stop(); keptServer.stop() }
        var removed = webhookReceiver("old", port: removedServer.port)
        removed.bearerToken = Secret("old-token")
        let kept = webhookReceiver("new", port: keptServer.port)
        var slow = fastDelivery
        slow.initialBackoff = 0.3
        let harness = try DeliveryHarness([removed, kept], options: slow)
        defer { harness.finish() }
        await harness.dispatcher.send([firing("A")])
        #expect(await harness.waitForMetrics("old") { $0.notificationsFailedTotal == 1 && $0.queueLength == 1 })

        let changes = harness.dispatcher.apply(try harness.dispatcher.prepare([kept]))
        #expect(changes == ReceiverChanges(unchanged: ["new"], removed: ["old"]))
        #expect(harness.logs.all.contains { $0.contains("its 1 queued notifications are still delivered") && $0.contains("receiver=old") })
        await harness.dispatcher.send([firing("B")])
        let drained = await removedServer.waitFor(2, timeout: 5)
        #expect(drained.map(groupAndStatus) == ["{}:{alertname=\"A\"} firing", "{}:{alertname=\"A\"} firing"])
        #expect(drained.last?.headers["authorization"] == "Bearer old-token", "with its old settings")
        #expect(await keptServer.waitFor(2, timeout: 5).map(groupAndStatus).sorted()
                == ["{}:{alertname=\"A\"} firing", "{}:{alertname=\"B\"} firing"])
        #expect(await eventually { harness.dispatcher.state.withLock { $0.draining.allSatisfy(\.hasExited) } })
        #expect(harness.metrics("old").queueLength == 0)
        #expect(removedServer.received.count == 2, "B never went to the removed receiver")
    }

    @Test("a receiver removed and added again takes its queue back")
    func readdedReceiverResumes() async throws {
        let down = RefusingPort(), server = try HTTPReceiver()
        defer { down.release(); server.stop() }
        let harness = try await queuedBehind(down)
        defer { harness.finish() }
        harness.dispatcher.apply(try harness.dispatcher.prepare([]))
        let changes = harness.dispatcher.apply(try harness.dispatcher.prepare([webhookReceiver(port: server.port)]))
        #expect(changes == ReceiverChanges(added: ["oncall"]))
        #expect(await server.waitFor(1, timeout: 5).map(groupAndStatus) == ["{}:{alertname=\"A\"} firing"])
    }
}

/// A dispatcher whose receiver "oncall" points at `down` (refusing connections) with a 30 s
/// backoff, far beyond these tests, and alert A's notification queued after one failed
/// attempt: only a reload can get it delivered in time.
private func queuedBehind(_ down: RefusingPort) async throws -> DeliveryHarness {
    var slow = fastDelivery
    slow.initialBackoff = 30
    slow.maximumBackoff = 30
    let harness = try DeliveryHarness([webhookReceiver(port: down.port)], options: slow)
    await harness.dispatcher.send([firing("A")])
    #expect(await harness.waitForMetrics { $0.notificationsFailedTotal == 1 && $0.queueLength == 1 })
    return harness
}

/// A change a reload makes to a receiver that is still valid.
enum Edit: Sendable {
    case nothing, urlTimeoutAndTimings, matchersStillMatching, groupBy

    func applied(to config: ReceiverConfig) -> ReceiverConfig {
        var config = config
        switch self {
        case .nothing: break
        case .urlTimeoutAndTimings:
            config.url = config.url.map { $0 + "/other" }
            config.timeout = PrometheusDuration(milliseconds: 3000)
            config.groupInterval = PrometheusDuration(milliseconds: 50)
        case .matchersStillMatching: config.matchRE = ["alertname": "A|B"]
        case .groupBy: config.groupBy = ["alertname", "id"]
        }
        return config
    }
}

/// A change a reload makes to a receiver that makes the list invalid.
enum Breakage: Sendable {
    case badURL, unreadableSecret, typeChanged

    func applied(to config: ReceiverConfig) -> ReceiverConfig {
        var config = config
        switch self {
        case .badURL: config.url = "ftp://nowhere"
        case .unreadableSecret: config.bearerTokenFile = "/nonexistent/token"
        case .typeChanged: config.type = .slack
        }
        return config
    }
}
