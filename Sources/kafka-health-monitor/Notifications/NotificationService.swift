import Alerts
import Logging
import Notify
import ServiceLifecycle

/// Hands rule alerts to Notify's dispatcher, as a `Service`: `forward` (the rules' notify
/// function) queues each batch in order; `run` converts and sends them, flushes group timers
/// every tick, and on graceful shutdown sends what is queued, then stops the dispatcher
/// (undelivered notifications stay in the durable outbox for the next start).
final class NotificationService: Service, Sendable {
    /// The dispatcher (for `/metrics`).
    let dispatcher: NotifyDispatcher
    private let externalURL: String
    private let batches: AsyncStream<[Alert]>
    private let input: AsyncStream<[Alert]>.Continuation
    private let tick: Duration

    init(dispatcher: NotifyDispatcher, externalURL: String, tick: Duration = .milliseconds(100)) {
        self.dispatcher = dispatcher
        self.externalURL = externalURL
        self.tick = tick
        (batches, input) = AsyncStream.makeStream(of: [Alert].self)
    }

    /// Queues alerts due for sending (called by rule groups after each evaluation).
    func forward(_ alerts: [Alert]) {
        input.yield(alerts)
    }

    func run() async throws {
        let dispatcher = dispatcher, tick = tick
        let timers = Task {
            while !Task.isCancelled {
                await dispatcher.flushDue()
                try? await Task.sleep(for: tick)
            }
        }
        let input = input
        await withGracefulShutdownHandler {
            for await batch in batches {
                await dispatcher.send(batch.map { NotifyAlert($0, externalURL: externalURL) })
            }
        } onGracefulShutdown: {
            input.finish()
        }
        timers.cancel()
        _ = await timers.value
        await dispatcher.flushDue()
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
