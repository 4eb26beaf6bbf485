import Foundation
import TestSupport
import Testing

/// The `kafka-sim` executable: bad flags exit 2 with one line; a good run prints the bootstrap
/// servers first and stops on SIGTERM.
@Suite(.timeLimit(.minutes(1)))
struct CommandLineTests {
    static var executable: String { TestPaths.product("kafka-sim").path }

    @Test(arguments: [
        (["--brokers", "0"], "--brokers must be 1…10000"),
        (["--topics", "messages:100"], "is not NAME:PARTITIONS:RF"),
        (["--replica-lag-time", "ten"], "is not a duration"),
        (["--control-address", "nowhere"], "is not HOST:PORT"),
        (["--topics", "big:1:4"], "replication factor 4"),
        (["--scenario", "/nonexistent.yml"], "/nonexistent.yml: cannot read"),
        (["--frobnicate"], "Unknown option"),
    ])
    func badFlagsExit2WithOneLine(arguments: [String], message: String) async throws {
        let result = try await Command.run(Self.executable, arguments, timeout: 30)
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test(arguments: [["--help"], ["-h"]])
    func helpPrintsUsageAndExits0(arguments: [String]) async throws {
        let result = try await Command.run(Self.executable, arguments, timeout: 30)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("USAGE: kafka-sim"), "\(result.stdout)")
        #expect(result.stdout.contains("--brokers"))
    }

    @Test func printsBootstrapServersFirstAndStopsOnSigterm() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["--brokers", "3", "--topics", "dlq:3:3", "--control-address", "127.0.0.1:0"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let firstLine = try await TestCluster_readLine(out.fileHandleForReading)
        let servers = firstLine.split(separator: ",")
        #expect(servers.count == 3)
        #expect(servers.allSatisfy { $0.hasPrefix("127.0.0.1:") && Int($0.split(separator: ":")[1]) != nil })
        process.terminate()
        let exited = try await TestClusterWait.exit(of: process, timeout: 10)
        #expect(exited && process.terminationStatus == 0)
        if !exited { kill(process.processIdentifier, SIGKILL) }
    }
}

/// Reads one line from `handle` on a plain thread.
func TestCluster_readLine(_ handle: FileHandle) async throws -> String {
    try await TestCluster.offPool {
        var bytes: [UInt8] = []
        while let byte = try handle.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") { bytes.append(byte) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Waits for a process to exit, up to a timeout.
enum TestClusterWait {
    static func exit(of process: Process, timeout: TimeInterval) async throws -> Bool {
        try await TestCluster.eventually(timeout: timeout) { !process.isRunning }
    }
}
