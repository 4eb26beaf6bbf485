import Foundation
import Logging
import Synchronization
@testable import Notify
import TestSupport

/// Log lines captured from the dispatcher, to assert what is (and is not) logged.
final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func logger() -> Logger {
        Logger(label: "notify-test") { _ in RecordingHandler(recorder: self) }
    }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }
}

private struct RecordingHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        recorder.append("\(event.level) \(event.message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}

/// Delivery timings scaled down for tests: 50 ms first retry, 400 ms at most.
let fastDelivery: DeliveryOptions = {
    var options = DeliveryOptions()
    options.initialBackoff = 0.05
    options.maximumBackoff = 0.4
    options.tickInterval = 0.02
    return options
}()

/// A webhook receiver `name` POSTing to 127.0.0.1:`port`, with no group wait.
func webhookReceiver(_ name: String = "oncall", port: Int, timeout: Int64 = 2000) -> ReceiverConfig {
    var config = ReceiverConfig(name: name, type: .webhook, url: "http://127.0.0.1:\(port)/hook")
    config.groupBy = ["alertname"]
    config.groupWait = PrometheusDuration(milliseconds: 0)
    config.groupInterval = PrometheusDuration(milliseconds: 100)
    config.timeout = PrometheusDuration(milliseconds: timeout)
    return config
}

/// A dispatcher over a fresh storage directory with its group timers running, as in the
/// service; `finish()` shuts it down and removes the directory.
struct DeliveryHarness {
    let dispatcher: NotifyDispatcher
    let storage: URL
    let logs = LogRecorder()
    private let timers: Task<Void, Never>

    init(_ receivers: [ReceiverConfig], storage: URL? = nil, options: DeliveryOptions = fastDelivery,
         clock: any NotifyClock = SystemNotifyClock()) throws {
        self.storage = try storage ?? TestPaths.temporaryDirectory("khm-notify")
        dispatcher = try NotifyDispatcher(receivers: receivers, storagePath: self.storage.path,
                                          externalURL: "http://monitor.test:9090", options: options,
                                          logger: logs.logger(), clock: clock)
        timers = Task { [dispatcher] in await dispatcher.run() }
    }

    /// The metrics of receiver `name`.
    func metrics(_ name: String = "oncall") -> ReceiverMetrics {
        dispatcher.metrics().first { $0.receiver == name }!
    }

    /// Waits until `condition` holds on the metrics of `name` (or `timeout` passes).
    func waitForMetrics(_ name: String = "oncall", timeout: TimeInterval = 10,
                        _ condition: (ReceiverMetrics) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(metrics(name)) { return true }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return condition(metrics(name))
    }

    /// Stops the timers and the dispatcher, keeping the storage (a restart follows).
    func stop() {
        timers.cancel()
        dispatcher.shutdown()
    }

    func finish() {
        stop()
        try? FileManager.default.removeItem(at: storage)
    }
}

/// The webhook message a request carried.
func webhookMessage(_ request: HTTPReceiver.Request) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] ?? [:]
}

/// `"<groupKey> <status>"` of a webhook request.
func groupAndStatus(_ request: HTTPReceiver.Request) -> String {
    let message = webhookMessage(request)
    return "\(message["groupKey"] as? String ?? "?") \(message["status"] as? String ?? "?")"
}

/// When the live alerts of the delivery tests started: a minute before the tests ran.
let liveStart = Date().addingTimeInterval(-60)

/// A firing alert `name` on the wall clock (the delivery tests run in real time).
func firing(_ name: String, extra: [String: String] = [:]) -> NotifyAlert {
    NotifyAlert(labels: ["alertname": name, "id": "1"].merging(extra) { $1 }, annotations: ["summary": "\(name) is broken"],
                startsAt: liveStart, generatorURL: "http://monitor.test:9090/graph")
}

/// `firing(name)` resolved a moment ago.
func resolved(_ name: String) -> NotifyAlert {
    var alert = firing(name)
    alert.endsAt = Date()
    return alert
}

/// Polls `condition` every 10 ms for up to `timeout` seconds.
func eventually(timeout: TimeInterval = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
