import Alerts
import Foundation
import Logging
import Notify
import ServiceLifecycle
import Synchronization
import Yams

/// Hands rule alerts to Notify's dispatcher, as a `Service`: `forward` (the rules' notify
/// function) converts each batch and enqueues it in call order (a resolution never overtakes
/// its firing); `run` drives the dispatcher's group timers until graceful shutdown, then
/// stops it (what is undelivered stays in the durable outbox for the next start).
///
/// The receivers come and go with the configuration: `prepare` checks a `receivers:` list
/// (every problem positioned, nothing changed), `apply` switches to it at once. The
/// dispatcher is created with the first receiver (no outbox while nobody is paged) and then
/// lives as long as the process, keeping its grouping state and queues across reloads; its
/// notification log, persisted in `storage.path` with the outbox, carries the grouping state
/// across restarts too (a still-firing group is not paged again after a deploy).
final class NotificationService: Service, Sendable {
    /// A checked `receivers:` list, ready for `apply`.
    struct Prepared: Sendable {
        fileprivate let dispatcher: NotifyDispatcher?
        fileprivate let plan: ReceiverPlan?
        /// The receivers as configured (names and types, for the log).
        let receivers: [ReceiverConfig]
    }

    private let dispatcher = Mutex<NotifyDispatcher?>(nil)
    private let externalURL: String
    private let storagePath: String?
    private let options: Mutex<DeliveryOptions>
    private let logger: Logger

    /// A service without receivers yet; the outbox goes to `storagePath` (a temporary
    /// directory without one, not kept across restarts).
    init(storagePath: String?, externalURL: String, options: DeliveryOptions = DeliveryOptions(), logger: Logger) {
        self.storagePath = storagePath
        self.externalURL = externalURL
        self.options = Mutex(options)
        self.logger = logger
    }

    /// Sets how long alerts restored from the notification log wait to be sent again before
    /// they count as resolved while the process was down (`DeliveryOptions.restoredAlertTimeout`).
    /// Takes effect for the dispatcher made with the first receivers, so call it before
    /// `prepare`.
    func setRestoredAlertTimeout(_ seconds: TimeInterval) {
        options.withLock { $0.restoredAlertTimeout = seconds }
    }

    /// The dispatcher, once a receiver was configured.
    var current: NotifyDispatcher? { dispatcher.withLock { $0 } }

    /// Converts and enqueues alerts due for sending (called by rule groups after each evaluation).
    func forward(_ alerts: [Alert]) {
        current?.enqueue(alerts.map { NotifyAlert($0, externalURL: externalURL) })
    }

    /// Checks `receivers` (read from `nodes` of `file`; extra ones after them) against the
    /// running ones without changing what is delivered: bad settings, unreadable secrets and
    /// a receiver changing its type are `file:line:col` errors, all at once; an unusable
    /// outbox directory is an error of `storage.path`.
    func prepare(_ receivers: [ReceiverConfig], nodes: [Node], file: String) throws(ConfigErrors) -> Prepared {
        var dispatcher = current
        if dispatcher == nil { dispatcher = try makeDispatcher(for: receivers) }
        guard let dispatcher else {
            return Prepared(dispatcher: nil, plan: nil, receivers: receivers)
        }
        self.dispatcher.withLock { $0 = $0 ?? dispatcher }  // no routes yet: harmless if never applied
        do {
            return Prepared(dispatcher: dispatcher, plan: try dispatcher.prepare(receivers), receivers: receivers)
        } catch let errors as ReceiverConfigErrors {
            throw ConfigErrors(errors: ReceiverConfigLoader.positioned(errors, nodes: nodes, file: file))
        } catch {
            throw ConfigErrors(errors: [ConfigError(location: .wholeFile(file), message: "receivers: \(error)")])
        }
    }

    /// Switches to the prepared receivers at once; returns what changed.
    @discardableResult
    func apply(_ prepared: Prepared) -> ReceiverChanges {
        guard let dispatcher = prepared.dispatcher, let plan = prepared.plan else { return ReceiverChanges() }
        return dispatcher.apply(plan)
    }

    /// The dispatcher over `storage.path` for the first receivers; nil while there are none.
    private func makeDispatcher(for receivers: [ReceiverConfig]) throws(ConfigErrors) -> NotifyDispatcher? {
        guard !receivers.isEmpty else { return nil }
        let path: String
        if let storagePath {
            path = storagePath
        } else {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-health-monitor-\(getpid())").path
            logger.warning("no --storage.path: the notification outbox and log live in \(path) and are not kept across restarts (firing groups are notified again after one)")
        }
        do {
            return try NotifyDispatcher(receivers: [], storagePath: path, externalURL: externalURL, options: options.withLock { $0 },
                                        logger: logger)
        } catch {
            throw ConfigErrors(errors: [ConfigError(location: .flag("storage.path"), message: "\(error)")])
        }
    }

    /// Flushes due groups every tick until graceful shutdown, then stops delivery.
    func run() async throws {
        let tick = Duration.milliseconds(Int64(options.withLock { $0.tickInterval } * 1000))
        await cancelWhenGracefulShutdown { [self] in
            while !Task.isCancelled {
                await current?.flushDue()
                try? await Task.sleep(for: tick)
            }
        }
        current?.shutdown()
    }

    /// The dispatcher's per-receiver metrics in the text format (OpenMetrics drops `_total`
    /// from counter family names).
    func metricsText(openMetrics: Bool) -> String {
        guard let text = current?.metrics().prometheusText() else { return "" }
        guard openMetrics else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") else { return String(line) }
            let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count >= 3, parts[2].hasSuffix("_total") else { return String(line) }
            return ([parts[0], parts[1], parts[2].dropLast(6)] + parts.dropFirst(3)).joined(separator: " ")
        }.joined(separator: "\n")
    }
}
