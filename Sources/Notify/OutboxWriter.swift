import Foundation
import Logging

/// The thread that puts notifications into the outbox: every receiver's new notifications
/// are written here, with the notification-log changes that record them, in one
/// transaction per flush, before any delivery attempt.
///
/// Kept apart from the delivery threads so that persisting (what `send` waits for) never
/// queues behind a slow or hanging receiver. Enforces each receiver's `queue_capacity` by
/// dropping that receiver's oldest entries, counted in the metrics and logged.
final class OutboxWriter: @unchecked Sendable {
    private struct Submission {
        let entries: [Outbox.Entry]
        let log: [NotificationLog.Change]
        let persisted: @Sendable () -> Void
    }

    /// Guarded by the thread's lock; `thread` is set once in `init`.
    private var pending: [Submission] = []
    /// Each receiver's `queue_capacity`; guarded by the thread's lock (a reload changes it).
    private var capacities: [String: Int]
    private var thread: ServiceThread!
    private let logger: Logger

    init(storagePath: String, capacities: [String: Int], metrics: MetricsRegistry, logger: Logger,
         delivered wake: @escaping @Sendable (Set<String>) -> Void) {
        self.logger = logger
        self.capacities = capacities
        thread = ServiceThread(name: "notify-outbox") { [self] thread in
            var outbox: Outbox?
            while true {
                if outbox == nil {
                    do { outbox = try Outbox(directory: storagePath) } catch {
                        logger.error("notification outbox unavailable: notifications are lost", metadata: ["error": "\(error)"])
                    }
                }
                let (work, capacities) = thread.locked { () -> ([Submission], [String: Int]) in
                    defer { pending.removeAll() }
                    return (pending, self.capacities)
                }
                if !work.isEmpty {
                    let receivers = outbox.map { write(work, to: $0, capacities: capacities, metrics: metrics, logger: logger) } ?? []
                    for submission in work { submission.persisted() }
                    wake(receivers)
                }
                if thread.isStopping && thread.locked({ pending.isEmpty }) { return }
                thread.sleep(until: nil)
            }
        }
    }

    /// Queues `entries` and the notification-log changes `log` for writing, together;
    /// `persisted` runs once they are durable (or the write failed and was logged, or the
    /// writer was already stopped: then they are dropped and logged).
    func submit(_ entries: [Outbox.Entry], log: [NotificationLog.Change] = [], persisted: @escaping @Sendable () -> Void) {
        let queued = thread.wakeUnlessStopping {
            pending.append(Submission(entries: entries, log: log, persisted: persisted))
        }
        if !queued {
            if !entries.isEmpty {
                logger.error("notifications sent after shutdown are dropped", metadata: ["count": "\(entries.count)"])
            }
            persisted()
        }
    }

    /// Replaces the receivers' capacities (a reload), from the next write on.
    func setCapacities(_ capacities: [String: Int]) {
        thread.locked { self.capacities = capacities }
    }

    /// Writes what is pending, then stops the thread.
    func stop() { thread.stop() }

    /// Inserts `work` (notifications and log changes in one transaction), trims receivers over
    /// capacity; returns the receivers written for.
    private func write(_ work: [Submission], to outbox: Outbox, capacities: [String: Int], metrics: MetricsRegistry,
                       logger: Logger) -> Set<String> {
        let entries = work.flatMap(\.entries)
        let receivers = Set(entries.map(\.receiver))
        do {
            _ = try outbox.write(entries, log: work.flatMap(\.log))
            for receiver in receivers {
                var length = try outbox.count(receiver: receiver)
                let capacity = capacities[receiver] ?? Int.max
                if length > capacity {
                    let dropped = try outbox.dropOldest(receiver: receiver, count: length - capacity)
                    length -= dropped
                    metrics.update(receiver) { $0.notificationsDroppedTotal += UInt64(dropped) }
                    logger.warning("outbox full, dropped the oldest notifications",
                                   metadata: ["receiver": "\(receiver)", "dropped": "\(dropped)", "capacity": "\(capacity)"])
                }
                metrics.update(receiver) { $0.queueLength = length }
            }
        } catch {
            logger.error("cannot persist notifications: they are lost", metadata: ["error": "\(error)"])
        }
        return receivers
    }
}
