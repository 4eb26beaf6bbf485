import Foundation
import Testing
import TestSupport

/// `kafka-health-monitor demo`: one process with the simulated cluster, the monitor, the
/// control API and a receiver printing notifications to stdout; Ctrl-C stops it cleanly.
@Suite(.serialized) struct EndToEndDemoTests {
    @Test(.timeLimit(.minutes(1)))
    func theDemoPrintsInstructionsAndPagesOnStdout() async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rules = try EndToEndAlertingTests.fastRules(in: directory)
        let port = Ports.free(), controlPort = Ports.free()
        let output = directory.appendingPathComponent("demo.out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = TestPaths.product("kafka-health-monitor")
        process.arguments = ["demo", "--web.listen-address=127.0.0.1:\(port)", "--collect.interval=500ms",
                             "--control-address=127.0.0.1:\(controlPort)", "--rules.file=\(rules.path)",
                             "--replica-lag-time=2s"]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        func printed() -> String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

        #expect(try await HTTP.eventually(timeout: 20, interval: 0.1) {
            try await HTTP.request("GET", "http://127.0.0.1:\(port)/api/v1/query?query=sum(kafka_broker_online)").body
                .contains(#","3"]"#)
        })
        #expect(printed().contains("control API:  http://127.0.0.1:\(controlPort)"))
        #expect(printed().contains("curl -s -XPOST http://127.0.0.1:\(controlPort)/brokers/2/stop"))

        #expect(try await HTTP.request("POST", "http://127.0.0.1:\(controlPort)/brokers/2/stop").status == 200)
        #expect(try await HTTP.eventually(timeout: 30, interval: 0.1) {
            printed().contains("FIRING   KafkaBrokerOffline {broker_id=2,")
        }, "\(printed())")
        #expect(try await HTTP.request("POST", "http://127.0.0.1:\(controlPort)/brokers/2/start").status == 200)
        #expect(try await HTTP.eventually(timeout: 30, interval: 0.1) {
            printed().contains("RESOLVED KafkaBrokerOffline {broker_id=2,")
        }, "\(printed())")

        process.interrupt()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning && process.terminationStatus == 0, "Ctrl-C stops the demo cleanly")
        #expect(printed().hasSuffix("demo stopped.\n"))
    }
}
