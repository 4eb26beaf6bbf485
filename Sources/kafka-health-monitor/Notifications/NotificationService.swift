import Alerts
import Notify
import ServiceLifecycle

/// Hands rule alerts to Notify's dispatcher, as a `Service`: `forward` (the rules' notify
/// function) converts each batch and enqueues it in call order (a resolution never overtakes
/// its firing); `run` drives the dispatcher's group timers until graceful shutdown, then
/// stops it (what is undelivered stays in the durable outbox for the next start).
final class NotificationService: Service, Sendable {
    /// The dispatcher (for `/metrics`).
    let dispatcher: NotifyDispatcher
    private let externalURL: String

    init(dispatcher: NotifyDispatcher, externalURL: String) {
        self.dispatcher = dispatcher
        self.externalURL = externalURL
    }

    /// Converts and enqueues alerts due for sending (called by rule groups after each evaluation).
    func forward(_ alerts: [Alert]) {
        dispatcher.enqueue(alerts.map { NotifyAlert($0, externalURL: externalURL) })
    }

    func run() async throws {
        let dispatcher = dispatcher
        await cancelWhenGracefulShutdown {
            await dispatcher.run()
        }
        dispatcher.shutdown()
    }

    /// The dispatcher's per-receiver metrics in the text format (OpenMetrics drops `_total`
    /// from counter family names).
    func metricsText(openMetrics: Bool) -> String {
        let text = dispatcher.metrics().prometheusText()
        guard openMetrics else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") else { return String(line) }
            let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count >= 3, parts[2].hasSuffix("_total") else { return String(line) }
            return ([parts[0], parts[1], parts[2].dropLast(6)] + parts.dropFirst(3)).joined(separator: " ")
        }.joined(separator: "\n")
    }
}
