import ArgumentParser
import Foundation
import Logging
import Notify

/// `khm-notify`: Notify on its own, for the tests that need a separate process (kill -9)
/// and for measuring delivery latency. Not part of the product.
@main
struct KhmNotify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "khm-notify", abstract: "Drive Notify's dispatcher from the command line (tests, measurements).",
        subcommands: [HoldCommand.self, DrainCommand.self, LatencyCommand.self])
}

/// The receiver both `hold` and `drain` use: a webhook named `oncall`, no group wait.
func oncallReceiver(url: String) -> ReceiverConfig {
    var config = ReceiverConfig(name: "oncall", type: .webhook, url: url)
    config.groupBy = ["alertname"]
    config.groupWait = PrometheusDuration(milliseconds: 0)
    config.timeout = .seconds(1)
    return config
}

/// Retries every 100 ms at most, so that a test sees delivery soon after the receiver is up.
func quickRetries() -> DeliveryOptions {
    var options = DeliveryOptions()
    options.initialBackoff = 0.05
    options.maximumBackoff = 0.1
    return options
}

/// Queues `count` notifications (one group each) and keeps trying to deliver them forever.
struct HoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold", abstract: "Queue COUNT notifications, print 'queued COUNT' once they are durable, keep delivering.")

    @Option(name: .customLong("storage.path")) var storagePath: String
    @Option var url: String
    @Option var count = 20

    func run() async throws {
        let dispatcher = try NotifyDispatcher(receivers: [oncallReceiver(url: url)], storagePath: storagePath,
                                              options: quickRetries(), logger: Logger(label: "khm-notify"))
        let start = Date().addingTimeInterval(-60)
        for index in 0..<count {
            await dispatcher.send([NotifyAlert(labels: ["alertname": "Alert\(index)"], startsAt: start)])
        }
        FileHandle.standardOutput.write(Data("queued \(count)\n".utf8))
        await dispatcher.run()
    }
}

/// Resumes the outbox of a storage path and exits once it is empty.
struct DrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain", abstract: "Deliver what the outbox holds, print 'drained', exit.")

    @Option(name: .customLong("storage.path")) var storagePath: String
    @Option var url: String

    func run() async throws {
        let dispatcher = try NotifyDispatcher(receivers: [oncallReceiver(url: url)], storagePath: storagePath,
                                              options: quickRetries(), logger: Logger(label: "khm-notify"))
        while dispatcher.metrics().contains(where: { $0.queueLength > 0 }) {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        dispatcher.shutdown()
        print("drained")
    }
}
