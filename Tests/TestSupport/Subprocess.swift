import Foundation

/// Runs a command to completion with a deadline and captures its output.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public enum Command {
    /// Runs `executable` with `arguments`; kills it and throws when `timeout` seconds pass.
    public static func run(_ executable: String, _ arguments: [String],
                           environment: [String: String]? = nil,
                           currentDirectory: URL? = nil,
                           timeout: TimeInterval = 120) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain both pipes concurrently so a chatty child never blocks on a full pipe.
        let outData = ReadAll(out.fileHandleForReading), errData = ReadAll(err.fileHandleForReading)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                throw TimedOut(command: ([executable] + arguments).joined(separator: " "), seconds: timeout)
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus,
                             stdout: String(decoding: outData.wait(), as: UTF8.self),
                             stderr: String(decoding: errData.wait(), as: UTF8.self))
    }

    /// `run` for async tests: the wait happens on a thread of its own, never on one of Swift's
    /// cooperative pool. That pool has one thread per core (two on CI): two tests blocked in a
    /// subprocess would stall every other test's timers, polls and servers for as long.
    /// At most `gate.limit` commands run at once (the pool used to bound that by accident), so
    /// a parameterized test cannot start dozens of processes on a two-core machine.
    public static func run(_ executable: String, _ arguments: [String],
                           environment: [String: String]? = nil,
                           currentDirectory: URL? = nil,
                           timeout: TimeInterval = 120) async throws -> CommandResult {
        await gate.enter()
        do {
            let result = try await Blocking.run {
                try run(executable, arguments, environment: environment, currentDirectory: currentDirectory, timeout: timeout)
            }
            await gate.leave()
            return result
        } catch {
            await gate.leave()
            throw error
        }
    }

    private static let gate = Gate(limit: max(2, ProcessInfo.processInfo.activeProcessorCount))

    /// Thrown when a command outlives its deadline.
    public struct TimedOut: Error, CustomStringConvertible {
        public let command: String
        public let seconds: TimeInterval
        public var description: String { "timed out after \(seconds)s: \(command)" }
    }

    /// Whether an executable is on PATH (e.g. `promtool`, `kcat`).
    public static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

/// Reads a file handle to its end on a background thread.
final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

/// Blocking work (subprocesses, blocking sockets, semaphores) for async tests.
public enum Blocking {
    /// Runs `body` on a new thread and awaits its result, keeping the cooperative pool free.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// An async counting semaphore: waiting for a slot suspends the task, blocking no thread.
actor Gate {
    let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    /// Takes a slot, waiting for one if all `limit` are taken.
    func enter() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Gives the slot back, to the longest waiter if any.
    func leave() {
        if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
    }
}
