import Foundation
import Logging

/// The delivery thread of one receiver: persists submitted notifications, then POSTs them
/// with one reused curl handle, retrying on the `RetryPolicy`'s schedule.
///
/// All SQLite and libcurl calls happen on this dedicated thread, never on Swift's
/// cooperative pool. Per group, notifications go out in order: a group's next notification
/// waits until the previous one got its 2xx (or was rejected).
final class DeliveryWorker: @unchecked Sendable {
    // Mutable state below is guarded by `condition`'s lock.
    private let condition = NSCondition()
    private var submissions: [(entries: [Outbox.Entry], persisted: @Sendable () -> Void)] = []
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)
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
        let thread = Thread { [self] in
            loop()
            finished.signal()
        }
        thread.name = "notify-\(config.name)"
        thread.start()
        ready.wait()
    }

    /// Hands `entries` to the thread; `persisted` runs once they are in the outbox.
    func submit(_ entries: [Outbox.Entry], persisted: @escaping @Sendable () -> Void) {
        condition.lock()
        submissions.append((entries, persisted))
        condition.signal()
        condition.unlock()
    }

    /// Asks the thread to stop after persisting pending submissions and finishing the
    /// attempt in flight (at most one `timeout`); waits for it. Idempotent.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        finished.wait()
        finished.signal()  // let any later or concurrent stop() return at once too
    }

    private func loop() {
        let outbox: Outbox
        do {
            outbox = try Outbox(directory: storagePath)
        } catch {
            logger.error("notification outbox unavailable, receiver disabled", metadata: ["error": "\(error)"])
            ready.signal()
            drainWithoutStorage()
            return
        }
        let session = CurlSession()
        refreshQueueLength(outbox)
        ready.signal()
        while true {
            condition.lock()
            let work = submissions
            submissions.removeAll()
            let stop = stopping
            condition.unlock()
            if !work.isEmpty { persist(work, outbox) }
            if stop { return }
            let next = (try? outbox.next(receiver: config.name)) ?? nil
            if let next, next.nextAttempt <= clock.now() {
                attempt(next, outbox: outbox, session: session)
                continue
            }
            condition.lock()
            if submissions.isEmpty && !stopping {
                // NSCondition.wait(until:) traps on distantFuture: wait plainly without a deadline.
                if let due = next?.nextAttempt { _ = condition.wait(until: due) } else { condition.wait() }
            }
            condition.unlock()
        }
    }

    private func persist(_ work: [(entries: [Outbox.Entry], persisted: @Sendable () -> Void)], _ outbox: Outbox) {
        do {
            _ = try outbox.insert(work.flatMap(\.entries))
            let excess = try outbox.count(receiver: config.name) - config.queueCapacity
            if excess > 0 {
                let dropped = try outbox.dropOldest(receiver: config.name, count: excess)
                metrics.update(config.name) { $0.notificationsDroppedTotal += UInt64(dropped) }
                logger.warning("outbox full, dropped the oldest notifications",
                               metadata: ["dropped": "\(dropped)", "capacity": "\(config.queueCapacity)"])
            }
        } catch {
            logger.error("cannot persist notifications", metadata: ["error": "\(error)"])
        }
        for submission in work { submission.persisted() }
        refreshQueueLength(outbox)
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
        let metadata: Logger.Metadata = ["group": "\(entry.groupKey)", "url": "\(entry.url)", "attempt": "\(attempts)"]
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

    /// Without storage nothing can be delivered durably; callers must not wait forever.
    private func drainWithoutStorage() {
        while true {
            condition.lock()
            let work = submissions
            submissions.removeAll()
            let stop = stopping
            if work.isEmpty && !stop { condition.wait() }
            condition.unlock()
            for submission in work { submission.persisted() }
            if stop { return }
        }
    }
}
