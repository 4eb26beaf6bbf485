import Foundation
import Logging
import Synchronization

/// The delivery thread of one receiver: POSTs the receiver's outbox entries with one reused
/// curl handle (keep-alive), retrying on the `RetryPolicy`'s schedule, deleting each entry
/// only after a 2xx (or a rejection).
///
/// Its SQLite connection and curl handle are used on this dedicated thread only. Per group,
/// notifications go out in order: a group's next notification waits until the previous one
/// got its 2xx (or was rejected).
///
/// A reload hands it new settings (`update`), used from the next attempt on; a receiver
/// removed by a reload `drain`s: it delivers what is queued with its last settings, then
/// its thread ends.
final class DeliveryWorker: @unchecked Sendable {
    private var thread: ServiceThread!  // set once in start()
    private let ready = DispatchSemaphore(value: 0)

    /// What a reload may change, read at every attempt.
    private struct Settings {
        var config: ReceiverConfig
        var credentials: ReceiverCredentials
        /// Set by `update` when something changed: queued entries are retried at once.
        var changed = false
        /// Set by `drain`: the thread ends once the receiver's queue is empty.
        var draining = false
        /// Set by the thread as it ends after draining; `update` then refuses.
        var exited = false
    }

    /// The receiver's name (outbox rows and metrics are keyed by it; never changes).
    let name: String
    private let settings: Mutex<Settings>
    private let policy: RetryPolicy
    private let storagePath: String
    private let metrics: MetricsRegistry
    private let logger: Logger
    private let clock: any NotifyClock

    init(config: ReceiverConfig, credentials: ReceiverCredentials, options: DeliveryOptions, storagePath: String,
         metrics: MetricsRegistry, logger: Logger, clock: any NotifyClock) {
        name = config.name
        settings = Mutex(Settings(config: config, credentials: credentials))
        policy = RetryPolicy(initial: options.initialBackoff, maximum: options.maximumBackoff,
                             maximumRetryAfter: options.maximumRetryAfter)
        self.storagePath = storagePath
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "receiver"] = "\(config.name)"
        self.logger = logger
        self.clock = clock
    }

    /// Starts the thread and waits until it opened the outbox and counted what it holds for
    /// this receiver (so `queueLength` is right from the start); then it resumes delivery.
    func start() {
        thread = ServiceThread(name: "notify-\(name)") { [self] thread in loop(thread) }
        ready.wait()
    }

    /// Tells the thread that new entries are in the outbox.
    func wake() { thread.wake() }

    /// Stops the thread after the attempt in flight (at most one `timeout`). Idempotent.
    func stop() { thread.stop() }

    /// What `update` did.
    enum Update: Sendable, Equatable {
        /// The settings were the same (a drain, if any, ended).
        case unchanged
        /// New settings, used from the next attempt.
        case changed
        /// Nothing: the thread already ended after draining; start a new worker.
        case ended
    }

    /// Uses `config` and `credentials` from the next attempt on (the attempt in flight
    /// finishes with the old ones) and ends a drain. When they differ from the current ones,
    /// queued entries are retried at once: their backoff was earned by the old settings.
    func update(config: ReceiverConfig, credentials: ReceiverCredentials) -> Update {
        let outcome = settings.withLock { settings -> Update in
            guard !settings.exited else { return .ended }
            let changed = settings.config != config || settings.credentials != credentials
            settings.changed = settings.changed || changed
            settings.config = config
            settings.credentials = credentials
            settings.draining = false
            return changed ? .changed : .unchanged
        }
        if outcome != .ended { thread.wake() }
        return outcome
    }

    /// Delivers what is queued for the receiver with the current settings, then ends the
    /// thread (a receiver removed by a reload).
    func drain() {
        settings.withLock { $0.draining = true }
        thread.wake()
    }

    /// The receiver's type (which a reload may not change).
    var type: ReceiverKind { settings.withLock { $0.config.type } }

    /// Whether the thread ended after draining.
    var hasExited: Bool { settings.withLock { $0.exited } }

    private func loop(_ thread: ServiceThread) {
        var opened: Outbox?
        while opened == nil && !thread.isStopping {
            do { opened = try Outbox(directory: storagePath) } catch {
                logger.error("notification outbox unavailable, retrying in 1s", metadata: ["error": "\(error)"])
                ready.signal()  // start() must not wait for a disk that may never come back
                thread.sleep(until: clock.now().addingTimeInterval(1))
            }
        }
        guard let outbox = opened else { return }
        let session = CurlSession()
        refreshQueueLength(outbox)
        ready.signal()  // an extra signal after a failed open is harmless: start() waits once
        while !thread.isStopping {
            let current = settings.withLock { settings -> Settings in
                defer { settings.changed = false }
                return settings
            }
            let next: Outbox.Entry?
            do {
                if current.changed { try outbox.retryNow(receiver: name, now: clock.now()) }
                next = try outbox.next(receiver: name)
            } catch {
                logger.error("cannot read the outbox", metadata: ["error": "\(error)"])
                thread.sleep(until: clock.now().addingTimeInterval(1))
                continue
            }
            if let next, next.nextAttempt <= clock.now() {
                attempt(next, current.config, current.credentials, outbox: outbox, session: session)
            } else if next == nil && finishDrain() {
                logger.info("removed receiver drained: its delivery thread ends")
                return
            } else {
                thread.sleep(until: next?.nextAttempt)
            }
        }
    }

    /// Marks the thread ended when it is draining (its queue is empty); false otherwise.
    private func finishDrain() -> Bool {
        settings.withLock { settings -> Bool in
            guard settings.draining, !settings.changed else { return false }
            settings.exited = true
            return true
        }
    }

    /// Where `entry` goes: the receiver's current URL, so that a reload that changes it also
    /// redirects what is queued; an `alertmanager` entry keeps its own URL (each URL is a
    /// queue of its own).
    private func target(of entry: Outbox.Entry, _ config: ReceiverConfig) -> String {
        config.type == .alertmanager ? entry.url : (config.targetURLs.first ?? entry.url)
    }

    private func attempt(_ entry: Outbox.Entry, _ config: ReceiverConfig, _ credentials: ReceiverCredentials,
                         outbox: Outbox, session: CurlSession) {
        let url = target(of: entry, config)
        var body = entry.payload
        if config.type == .pagerduty, let key = credentials.routingKey {
            body = PagerDutyPayload.addingRoutingKey(key, to: body)
        }
        let settings = CurlSession.Settings(timeout: config.timeout.timeInterval, headers: config.headers, tls: config.tls)
        let outcome = session.post(url: url, body: body, settings: settings, authorization: credentials.authorization)
        let now = clock.now()
        let attempts = entry.attempts + 1
        let verdict = policy.verdict(outcome, attempt: attempts, now: now, random: Double.random(in: 0..<1))
        metrics.update(name) { m in
            m.notificationsTotal += 1
            if verdict != .delivered { m.notificationsFailedTotal += 1 }
            if verdict == .delivered { m.observeLatency(max(0, now.timeIntervalSince(entry.created))) }
        }
        let metadata: Logger.Metadata = ["group": "\(entry.groupKey)", "url": "\(redacted(url))", "attempt": "\(attempts)"]
        do {
            switch verdict {
            case .delivered:
                try outbox.delete(id: entry.id)
                logger.debug("notification delivered", metadata: metadata)
            case .reject(let reason):
                try outbox.delete(id: entry.id)
                metrics.update(name) { $0.notificationsDroppedTotal += 1 }
                logger.error("notification rejected, not retried: \(reason)", metadata: metadata)
            case .retry(let delay, let reason):
                try outbox.reschedule(id: entry.id, attempts: attempts, nextAttempt: now.addingTimeInterval(delay))
                try outbox.postpone(receiver: name, url: config.type == .alertmanager ? entry.url : nil,
                                   until: now.addingTimeInterval(delay))
                logger.warning("notification failed, retrying in \(String(format: "%.1f", delay))s: \(reason)",
                               metadata: metadata)
            }
        } catch {
            logger.error("outbox update failed", metadata: ["error": "\(error)"])
            Thread.sleep(forTimeInterval: 1)  // do not spin on a broken disk
        }
        refreshQueueLength(outbox)
    }

    private func refreshQueueLength(_ outbox: Outbox) {
        let length = (try? outbox.count(receiver: name)) ?? 0
        metrics.update(name) { $0.queueLength = length }
    }
}

/// `url` without path, query or credentials (a Slack or PagerDuty URL path is a secret).
func redacted(_ url: String) -> String {
    guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else {
        return "<url>"
    }
    return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "") + "/…"
}
