import Foundation
import Logging

/// The delivery thread of one receiver: POSTs the receiver's outbox entries with one reused
/// curl handle (keep-alive), retrying on the `RetryPolicy`'s schedule, deleting each entry
/// only after a 2xx (or a rejection).
///
/// Its SQLite connection and curl handle are used on this dedicated thread only. Per group,
/// notifications go out in order: a group's next notification waits until the previous one
/// got its 2xx (or was rejected).
final class DeliveryWorker: @unchecked Sendable {
    private var thread: ServiceThread!  // set once in start()
    private let ready = DispatchSemaphore(value: 0)

    private let config: ReceiverConfig
    private let credentials: ReceiverCredentials
    private let policy: RetryPolicy
    private let storagePath: String
    private let metrics: MetricsRegistry
    private let logger: Logger
    private let clock: any NotifyClock

    init(config: ReceiverConfig, credentials: ReceiverCredentials, options: DeliveryOptions, storagePath: String,
         metrics: MetricsRegistry, logger: Logger, clock: any NotifyClock) {
        self.config = config
        self.credentials = credentials
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
        thread = ServiceThread(name: "notify-\(config.name)") { [self] thread in loop(thread) }
        ready.wait()
    }

    /// Tells the thread that new entries are in the outbox.
    func wake() { thread.wake() }

    /// Stops the thread after the attempt in flight (at most one `timeout`). Idempotent.
    func stop() { thread.stop() }

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
            let next: Outbox.Entry?
            do {
                next = try outbox.next(receiver: config.name)
            } catch {
                logger.error("cannot read the outbox", metadata: ["error": "\(error)"])
                thread.sleep(until: clock.now().addingTimeInterval(1))
                continue
            }
            if let next, next.nextAttempt <= clock.now() {
                attempt(next, outbox: outbox, session: session)
            } else {
                thread.sleep(until: next?.nextAttempt)
            }
        }
    }

    private func attempt(_ entry: Outbox.Entry, outbox: Outbox, session: CurlSession) {
        var body = entry.payload
        if config.type == .pagerduty, let key = credentials.routingKey {
            body = PagerDutyPayload.addingRoutingKey(key, to: body)
        }
        let settings = CurlSession.Settings(timeout: config.timeout.timeInterval, headers: config.headers, tls: config.tls)
        let outcome = session.post(url: entry.url, body: body, settings: settings, authorization: credentials.authorization)
        let now = clock.now()
        let attempts = entry.attempts + 1
        let verdict = policy.verdict(outcome, attempt: attempts, now: now, random: Double.random(in: 0..<1))
        metrics.update(config.name) { m in
            m.notificationsTotal += 1
            if verdict != .delivered { m.notificationsFailedTotal += 1 }
            if verdict == .delivered { m.observeLatency(max(0, now.timeIntervalSince(entry.created))) }
        }
        let metadata: Logger.Metadata = ["group": "\(entry.groupKey)", "url": "\(redacted(entry.url))", "attempt": "\(attempts)"]
        do {
            switch verdict {
            case .delivered:
                try outbox.delete(id: entry.id)
                logger.debug("notification delivered", metadata: metadata)
            case .reject(let reason):
                try outbox.delete(id: entry.id)
                metrics.update(config.name) { $0.notificationsDroppedTotal += 1 }
                logger.error("notification rejected, not retried: \(reason)", metadata: metadata)
            case .retry(let delay, let reason):
                try outbox.reschedule(id: entry.id, attempts: attempts, nextAttempt: now.addingTimeInterval(delay))
                try outbox.postpone(receiver: config.name, url: entry.url, until: now.addingTimeInterval(delay))
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
        let length = (try? outbox.count(receiver: config.name)) ?? 0
        metrics.update(config.name) { $0.queueLength = length }
    }
}

/// `url` without path, query or credentials (a Slack or PagerDuty URL path is a secret).
func redacted(_ url: String) -> String {
    guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else {
        return "<url>"
    }
    return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "") + "/…"
}
