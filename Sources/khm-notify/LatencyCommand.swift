import ArgumentParser
import Foundation
import Logging
import Notify
import TestSupport

/// Measures the delivery latency from "alert fires" (the `send` call, `group_wait: 0`) to
/// "the receiver has the POST" against a local HTTP server, one alert at a time.
struct LatencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency", abstract: "Median latency from dispatch to the receiver having the POST.")

    @Option var count = 100

    func run() async throws {
        let server = try HTTPReceiver()
        defer { server.stop() }
        let storage = FileManager.default.temporaryDirectory.appendingPathComponent("khm-notify-latency-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: storage) }
        var logger = Logger(label: "khm-notify")
        logger.logLevel = .warning
        let dispatcher = try NotifyDispatcher(receivers: [oncallReceiver(url: "http://127.0.0.1:\(server.port)/hook")],
                                              storagePath: storage.path, logger: logger)
        defer { dispatcher.shutdown() }
        var latencies: [Double] = []
        for index in 0..<count {
            let fired = Date()
            await dispatcher.send([NotifyAlert(labels: ["alertname": "Latency\(index)"], startsAt: fired)])
            let requests = await server.waitFor(index + 1, timeout: 10)
            guard requests.count == index + 1 else { throw ValidationError("notification \(index) never arrived") }
            latencies.append(requests[index].receivedAt.timeIntervalSince(fired))
        }
        latencies.sort()
        func ms(_ q: Double) -> String {
            String(format: "%.2f ms", latencies[min(latencies.count - 1, Int(q * Double(latencies.count)))] * 1000)
        }
        print("notify latency over \(count) alerts (dispatch → receiver has the POST, group_wait 0, SQLite outbox synchronous=FULL):")
        print("  median \(ms(0.5))  p90 \(ms(0.9))  min \(ms(0))  max \(ms(1))")
    }
}
