import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The outbox survives `kill -9`: a child process queues notifications while the receiver is
/// down and is killed; a new process on the same storage path delivers every one.
@Suite("Durable outbox across kill -9", .timeLimit(.minutes(1)))
struct CrashRecoveryTests {
    @Test("notifications queued by a killed process are delivered by the next one")
    func killNine() async throws {
        let storage = try TestPaths.temporaryDirectory("khm-notify-kill")
        defer { try? FileManager.default.removeItem(at: storage) }
        let down = RefusingPort()
        let url = "http://127.0.0.1:\(down.port)/hook"
        let count = 25

        let child = Process()
        child.executableURL = TestPaths.product("khm-notify")
        child.arguments = ["hold", "--storage.path", storage.path, "--url", url, "--count", "\(count)"]
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        try child.run()
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
        let queued = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            var text = ""
            while !text.contains("queued") {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { return }
                text += String(decoding: data, as: UTF8.self)
            }
            queued.signal()
        }
        let deadline = Date().addingTimeInterval(20)
        var reported = false
        while !reported && Date() < deadline {
            reported = queued.wait(timeout: .now()) == .success
            if !reported { try await Task.sleep(nanoseconds: 20_000_000) }
        }
        try #require(reported, "the child never reported its queue")
        try #require(child.isRunning, "the child exited early")
        try await Task.sleep(nanoseconds: 300_000_000)  // let it fail a few attempts against the dead port
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)
        let server = try HTTPReceiver(listeningOn: down)
        defer { server.stop() }
        let drain = try await Command.run(TestPaths.product("khm-notify").path,
                                    ["drain", "--storage.path", storage.path, "--url", url], timeout: 20)
        #expect(drain.status == 0 && drain.stdout.contains("drained"))
        let groups = Set(await server.waitFor(count, timeout: 5).map(groupAndStatus))
        #expect(groups == Set((0..<count).map { "{}:{alertname=\"Alert\($0)\"} firing" }))
        #expect(server.received.count == count, "each delivered once")
    }
}
