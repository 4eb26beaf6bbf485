import Foundation
import Testing
@testable import Notify
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The notification log and the outbox agree after `kill -9`: a child process (`khm-notify
/// hold`) notifies one group per alert, each flush committing its outbox row and its log
/// entry, while the receiver is down, and is killed in the middle; then a dispatcher on the
/// same storage gets every alert again (as the rules resend them after a restart).
@Suite("Notification log across kill -9", .timeLimit(.minutes(1)))
struct NotificationLogCrashTests {
    @Test("killed mid-flush: every group logged as notified is queued and the rest are notified after the restart, each once")
    func killNineDuringFlushes() async throws {
        let storage = try TestPaths.temporaryDirectory("khm-nflog-kill")
        defer { try? FileManager.default.removeItem(at: storage) }
        let down = RefusingPort()
        let count = 400
        let child = Process()
        child.executableURL = TestPaths.product("khm-notify")
        child.arguments = ["hold", "--storage.path", storage.path, "--url", "http://127.0.0.1:\(down.port)/hook",
                           "--count", "\(count)"]
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }

        // Kill it while it is still flushing: as soon as a few groups are committed, from a
        // thread of its own (a busy cooperative pool would notice too late).
        let pid = child.processIdentifier
        try await Blocking.run {
            let deadline = Date().addingTimeInterval(20)
            var outbox: Outbox?
            while Date() < deadline {
                outbox = outbox ?? (try? Outbox(directory: storage.path))
                if let count = try? outbox?.count(receiver: "oncall"), count >= 5 { break }
                usleep(500)
            }
            kill(pid, SIGKILL)
            child.waitUntilExit()
        }
        #expect(child.terminationReason == .uncaughtSignal)
        let queued = try queuedGroups(storage)
        let logged = try Outbox(directory: storage.path).notificationLog(at: Date()).map(\.groupKey)
        try #require(queued.count >= 5, "the child never queued anything")
        #expect(queued.count < count, "killed before it had flushed every group")
        #expect(Set(logged) == Set(queued), "logged as notified exactly when queued")

        let server = try HTTPReceiver(listeningOn: down)
        defer { server.stop() }
        let restarted = try DeliveryHarness([webhookReceiver(port: down.port)], storage: storage)
        defer { restarted.stop() }
        await restarted.dispatcher.send(heldAlerts(count))
        _ = await server.waitFor(count, timeout: 20)
        try await Task.sleep(for: .milliseconds(300))  // several group intervals: a duplicate would show
        let delivered = server.received.map(groupAndStatus)
        #expect(Set(delivered) == Set(heldAlerts(count).map { "{}:{alertname=\"\($0.labels["alertname"]!)\"} firing" }))
        #expect(delivered.count == count, "each group once: \(queued.count) from the outbox, the rest notified anew")
    }
}

/// The group keys of the outbox rows of receiver `oncall`, oldest first.
private func queuedGroups(_ storage: URL) throws -> [String] {
    try Outbox(directory: storage.path).query("SELECT group_key FROM outbox WHERE receiver = ? ORDER BY id",
                                              [.text("oncall")]) { columnText($0, 0) }
}

/// The alerts `khm-notify hold --count count` notifies: `Alert0`… each in its own group.
private func heldAlerts(_ count: Int) -> [NotifyAlert] {
    (0..<count).map { NotifyAlert(labels: ["alertname": "Alert\($0)"], startsAt: liveStart) }
}
