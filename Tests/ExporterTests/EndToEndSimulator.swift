import Foundation
import TestSupport

/// The built `kafka-sim` in the background — 3 brokers with the original service's topics
/// (RF 3, min.insync.replicas 2) and its control API on a free port — for end-to-end tests;
/// interrupted when the test is done with it.
final class EndToEndSimulator: @unchecked Sendable {
    let bootstrapServers: String
    let controlPort = Ports.free()
    private let process = Process()

    /// Starts it with `replicaLagTime` (e.g. "2s") and waits for the bootstrap line.
    init(replicaLagTime: String) throws {
        process.executableURL = TestPaths.product("kafka-sim")
        process.arguments = ["--brokers", "3",
                             "--topics", "messages:100:3,file_merge_requests:50:3,message_status_updates:50:3,dlq:3:3",
                             "--control-address", "127.0.0.1:\(controlPort)", "--replica-lag-time", replicaLagTime,
                             "--catch-up-delay", "500ms", "--preferred-leader-delay", "500ms"]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try stdout.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        bootstrapServers = String(decoding: line, as: UTF8.self)
    }

    /// Interrupts it; the wait for its exit happens on a thread of its own, since the last
    /// reference often drops on Swift's cooperative pool (two cores on CI: never block it).
    deinit {
        let process = self.process
        guard process.isRunning else { return }
        process.interrupt()
        Thread.detachNewThread { process.waitUntilExit() }
    }

    /// `POST /brokers/{id}/{action}` on the control API (`stop`, `start`).
    func broker(_ id: Int, _ action: String) async throws -> HTTP.Response {
        try await HTTP.request("POST", "http://127.0.0.1:\(controlPort)/brokers/\(id)/\(action)", timeout: 5)
    }
}
