import Foundation
import Logging
import Synchronization

/// Notify's entry point: takes alerts, groups them per receiver, persists the resulting
/// notifications in the durable outbox (one writer thread) and delivers them (one thread per
/// receiver, so a hanging receiver delays only itself).
///
/// Use: create it with the validated `receivers:` list; call `send(_:)` (or, from
/// synchronous code, `enqueue(_:)`) with every alert change (the same alert again is
/// harmless); keep `run()` running for the group timers; read `metrics()` for `/metrics`;
/// call `shutdown()` when stopping; on a config reload, `prepare` the new list (every error
/// at once, nothing changed) and `apply` it (see `NotifyDispatcher+Reload.swift`). Whatever
/// is undelivered at a crash or stop is resumed
/// by the next dispatcher on the same storage path (shut the old one down first), which also
/// resumes the notification log: a group already notified is not notified again before its
/// `repeat_interval` unless its alerts change (see `AlertGrouper`).
public final class NotifyDispatcher: Sendable {
    /// A configured receiver: its settings, matchers, grouping state and delivery thread.
    struct Route: Sendable {
        let config: ReceiverConfig
        let route: AlertRoute
        var schedule: ReceiverSchedule
        let worker: DeliveryWorker
    }

    /// What `flush` and `apply` share, swapped as a whole by a reload.
    struct State: Sendable {
        var routes: [Route] = []
        /// Delivery threads of receivers a reload removed, finishing their queues.
        var draining: [DeliveryWorker] = []
        /// The notification log persisted before this start, by receiver, until the first
        /// `apply` that configures a receiver resumes it (and voids the rest).
        var restorable: [String: [NotificationLog.Row]]?
    }

    let state = Mutex(State())
    /// Held by `apply`, so that two reloads never interleave their thread hand-overs.
    let applying = Mutex(())
    /// The delivery thread of each receiver name, for the writer's wake-ups.
    let workers: WorkerDirectory
    let writer: OutboxWriter
    let registry: MetricsRegistry
    let storagePath: String
    let logger: Logger
    private let externalURL: String
    let options: DeliveryOptions
    let clock: any NotifyClock

    /// Validates `receivers`, reads their secrets, and starts one delivery thread per
    /// receiver, which resumes that receiver's undelivered notifications from
    /// `<storagePath>/notify-outbox.sqlite`. The notification log stored there is read now
    /// (expired entries deleted) and resumed by the first `apply` with receivers (here, if
    /// `receivers` is not empty); the entries of receivers it does not configure are deleted.
    /// Throws `ReceiverConfigErrors` for bad settings or unreadable secret files, and
    /// `NotifyStorageError` when the outbox cannot be created in `storagePath`.
    public init(receivers configs: [ReceiverConfig], storagePath: String, externalURL: String = "",
                options: DeliveryOptions = DeliveryOptions(),
                environment: [String: String] = ProcessInfo.processInfo.environment,
                logger: Logger = Logger(label: "notify"), clock: any NotifyClock = SystemNotifyClock()) throws {
        let plan = try ReceiverPlan(configs, environment: environment, current: [:])
        try Outbox.prepare(directory: storagePath)
        let log = try Outbox(directory: storagePath).notificationLog(at: clock.now())
        let registry = MetricsRegistry(receivers: configs.map(\.name))
        let directory = WorkerDirectory()
        workers = directory
        writer = OutboxWriter(storagePath: storagePath, capacities: [:], metrics: registry, logger: logger) { written in
            for worker in directory.workers(named: written) { worker.wake() }
        }
        self.registry = registry
        self.storagePath = storagePath
        self.logger = logger
        self.externalURL = externalURL
        self.options = options
        self.clock = clock
        state.withLock { $0.restorable = Dictionary(grouping: log, by: \.receiver) }
        apply(plan)
    }

    /// Hands alert changes to every receiver whose matchers accept them; returns once the
    /// notifications that became due (e.g. with `group_wait: 0`) are in the outbox.
    public func send(_ alerts: [NotifyAlert]) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            flush(inserting: alerts) { continuation.resume() }
        }
    }

    /// Like `send`, for synchronous callers (such as a rule group's notify function): returns
    /// at once without waiting for the outbox commit, which follows within milliseconds on
    /// the writer thread. Calls are applied in the order they are made, so a resolution can
    /// never overtake the firing it ends (separate `Task { await send(…) }` calls could).
    public func enqueue(_ alerts: [NotifyAlert]) {
        flush(inserting: alerts) {}
    }

    /// Flushes the groups whose timers expired; `run()` calls it every tick. Public for
    /// callers that drive their own loop.
    public func flushDue() async {
        await send([])
    }

    /// Runs the group timers until the task is cancelled, then shuts down.
    public func run() async {
        while !Task.isCancelled {
            await flushDue()
            try? await Task.sleep(nanoseconds: UInt64(options.tickInterval * 1e9))
        }
        shutdown()
    }

    /// Stops the delivery threads after they persisted what they were given and finished
    /// the attempt in flight. Undelivered notifications stay in the outbox. Idempotent.
    public func shutdown() {
        writer.stop()
        let (routes, draining) = state.withLock { ($0.routes, $0.draining) }
        for route in routes { route.worker.stop() }
        for worker in draining { worker.stop() }
    }

    /// Delivery metrics per receiver (see `ReceiverMetrics`).
    public func metrics() -> [ReceiverMetrics] { registry.snapshot() }

    /// Inserts `alerts`, flushes due groups, and submits the batches to the outbox writer under
    /// the lock (so notifications are stored in the order they were made), each with the
    /// notification-log changes recording it (one transaction: after a crash the log never
    /// says "notified" for a notification that was not queued); calls `persisted` once they
    /// are durable.
    private func flush(inserting alerts: [NotifyAlert], persisted: @escaping @Sendable () -> Void) {
        let latch = PersistenceLatch(persisted)
        state.withLock { state in
            let now = clock.now()
            for index in state.routes.indices {
                // Not a copy of the whole route: that would share, then copy, the grouping state.
                let config = state.routes[index].config, route = state.routes[index].route
                for alert in alerts where route.accepts(alert.labels) {
                    state.routes[index].schedule.insert(alert, now: now)
                }
                let entries = state.routes[index].schedule.flushDue(now: now).flatMap {
                    config.entries(for: $0, externalURL: externalURL, now: now)
                }
                let log = state.routes[index].schedule.takeLogUpdates()
                    .changes(for: config, retention: options.notificationLogRetention)
                guard !entries.isEmpty || !log.isEmpty else { continue }
                latch.add()
                writer.submit(entries, log: log) { latch.done() }
            }
        }
        latch.done()  // the initial count of one, held while submitting
    }
}

/// Counts outstanding persistence acknowledgements (starting at one, for the submitter);
/// runs its action once all arrived.
final class PersistenceLatch: Sendable {
    private let count = Mutex(1)
    private let action: @Sendable () -> Void

    init(_ action: @escaping @Sendable () -> Void) { self.action = action }

    func add() { count.withLock { $0 += 1 } }

    func done() {
        let zero = count.withLock { count -> Bool in
            count -= 1
            return count == 0
        }
        if zero { action() }
    }
}
