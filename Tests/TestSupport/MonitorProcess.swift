import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The built `kafka-health-monitor` running in the background on a free port, for
/// end-to-end tests; terminated (SIGTERM) when the test is done with it.
public final class MonitorProcess: @unchecked Sendable {
    public let port: Int
    private let process = Process()
    private let output: URL

    /// Starts `kafka-health-monitor run` with `arguments` (plus `--web.listen-address` on a
    /// free port unless `port` is given: then the arguments must make it listen there) and
    /// `environment` added to this process's.
    public init(_ arguments: [String], environment: [String: String] = [:], port: Int? = nil) throws {
        self.port = port ?? Ports.free()
        output = FileManager.default.temporaryDirectory.appendingPathComponent("khm-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = TestPaths.product("kafka-health-monitor")
        process.arguments = ["run"] + (port == nil ? ["--web.listen-address=127.0.0.1:\(self.port)"] : []) + arguments
        var merged = ProcessInfo.processInfo.environment
        for name in ["KAFKA_BOOTSTRAP_SERVERS", "KAFKA_HEALTH_CHECK_INTERVAL", "METRICS_PORT",
                     "ENABLE_KAFKA_HEALTH_MONITORING"] { merged[name] = nil }
        merged.merge(environment) { _, new in new }
        process.environment = merged
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Interrupts the process; waiting for it to exit (and removing its log) happens on a
    /// thread of its own, since the last reference often drops on Swift's cooperative pool.
    deinit {
        let (process, output) = (process, output)
        if process.isRunning { process.interrupt() }
        Thread.detachNewThread {
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: output)
        }
    }

    /// `GET path` with optional headers.
    public func get(_ path: String, headers: [String: String] = [:]) async throws -> HTTP.Response {
        try await HTTP.request("GET", "http://127.0.0.1:\(port)\(path)", headers: headers, timeout: 5)
    }

    /// The `/metrics` body once `condition` holds for it, or the last body seen after `timeout`.
    public func metrics(within timeout: TimeInterval, until condition: (String) -> Bool) async throws -> String {
        var last = ""
        _ = try await HTTP.eventually(timeout: timeout, interval: 0.05) {
            last = try await get("/metrics").body
            return condition(last)
        }
        return last
    }

    /// Sends SIGTERM and waits (at most `timeout` seconds, off the cooperative pool) for the
    /// exit status.
    public func terminate(timeout: TimeInterval = 10) async throws -> Int32? {
        let process = self.process
        process.terminate()
        return try await Blocking.run {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            return process.isRunning ? nil : process.terminationStatus
        }
    }

    /// Sends SIGHUP (reload the configuration).
    public func hangUp() {
        kill(process.processIdentifier, SIGHUP)
    }

    /// Sends `signal` (SIGKILL for a crash) and waits, off the cooperative pool, until the
    /// process has exited.
    public func stop(with signal: Int32) async throws {
        let process = self.process
        kill(process.processIdentifier, signal)
        try await Blocking.run { process.waitUntilExit() }
    }

    /// What the process logged so far.
    public var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
}
