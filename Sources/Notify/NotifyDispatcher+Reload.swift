import Foundation
import Logging
import Synchronization

/// A `receivers:` list checked and ready to apply: settings validated, secrets read, and no
/// receiver changing its type. Made by `NotifyDispatcher.prepare`, used by `apply`.
public struct ReceiverPlan: Sendable {
    let configs: [ReceiverConfig]
    let credentials: [ReceiverCredentials]

    /// The receivers' names, in config order.
    public var names: [String] { configs.map(\.name) }

    /// Checks `configs` (every problem at once); `current` holds the types of the receivers
    /// that exist now, which a receiver may not change (its queued notifications are
    /// payloads in the old type's format).
    init(_ configs: [ReceiverConfig], environment: [String: String], current: [String: ReceiverKind]) throws {
        try ReceiverConfig.validate(configs)
        var credentials: [ReceiverCredentials] = []
        var errors: [ReceiverConfigError] = []
        for (index, config) in configs.enumerated() {
            if let type = current[config.name], type != config.type {
                errors.append(ReceiverConfigError(
                    index: index, receiver: config.name, field: "type",
                    message: "cannot change from \(type.rawValue) to \(config.type.rawValue) on reload (its queued "
                        + "notifications are \(type.rawValue) payloads); give the receiver a new name"))
            }
            do { credentials.append(try ReceiverCredentials(config, index: index, environment: environment)) } catch let error as ReceiverConfigError {
                errors.append(error)
            }
        }
        if !errors.isEmpty { throw ReceiverConfigErrors(errors: errors) }
        self.configs = configs
        self.credentials = credentials
    }
}

/// What a reload changed, by receiver name (each list in config order, `removed` sorted).
public struct ReceiverChanges: Sendable, Equatable {
    /// Receivers that did not exist.
    public var added: [String] = []
    /// Receivers whose settings changed (or whose secrets, re-read, did).
    public var changed: [String] = []
    /// Receivers unchanged.
    public var unchanged: [String] = []
    /// Receivers no longer configured; their queued notifications are still delivered with
    /// their last settings, then their delivery threads end.
    public var removed: [String] = []

    /// The given changes (none by default).
    public init(added: [String] = [], changed: [String] = [], unchanged: [String] = [], removed: [String] = []) {
        self.added = added
        self.changed = changed
        self.unchanged = unchanged
        self.removed = removed
    }
}

extension NotifyDispatcher {
    /// Checks a new `receivers:` list against the running one without changing anything;
    /// throws `ReceiverConfigErrors` with every problem (bad settings, unreadable secrets, a
    /// receiver changing its type).
    public func prepare(_ configs: [ReceiverConfig],
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ReceiverPlan {
        let types = state.withLock { state in
            var types: [String: ReceiverKind] = [:]
            for worker in state.draining where !worker.hasExited { types[worker.name] = worker.type }
            for route in state.routes { types[route.config.name] = route.config.type }
            return types
        }
        return try ReceiverPlan(configs, environment: environment, current: types)
    }

    /// Switches to `plan` at once: later alerts are routed and grouped by the new receivers.
    /// A receiver that stays keeps its delivery thread (its queue goes to its new URL, with
    /// its new credentials, from the next attempt) and, with the same matchers and
    /// `group_by`, all its grouping state; a removed receiver stops getting alerts and
    /// delivers what it has queued with its last settings (logged), then its thread ends.
    /// The persisted notification log follows the grouping state: a removed receiver's
    /// entries are deleted, and so are all of a receiver's when its `group_by` changes. The
    /// first `apply` with receivers after a start resumes the log read at start for the
    /// receivers it configures and deletes the rest.
    @discardableResult
    public func apply(_ plan: ReceiverPlan) -> ReceiverChanges {
        applying.withLock { _ in switchReceivers(to: plan) }
    }

    private func switchReceivers(to plan: ReceiverPlan) -> ReceiverChanges {
        let (old, draining) = state.withLock { ($0.routes, $0.draining) }
        let oldByName = Dictionary(uniqueKeysWithValues: old.map { ($0.config.name, $0) })
        var changes = ReceiverChanges()
        var workers: [DeliveryWorker] = []
        // Threads first (a new one must run before the writer may wake it), then the swap.
        for (config, credentials) in zip(plan.configs, plan.credentials) {
            let active = oldByName[config.name]?.worker
            let (worker, change) = deliveryWorker(for: config, credentials: credentials,
                                                  previous: active ?? draining.first { $0.name == config.name })
            workers.append(worker)
            switch (active == nil ? .added : change) {
            case .added: changes.added.append(config.name)
            case .changed: changes.changed.append(config.name)
            case .unchanged: changes.unchanged.append(config.name)
            }
        }
        self.workers.replace(with: workers)
        writer.setCapacities(Dictionary(uniqueKeysWithValues: plan.configs.map { ($0.name, $0.queueCapacity) }))
        let (removed, resumed): ([DeliveryWorker], Int?) = state.withLock { state in
            let current = Dictionary(uniqueKeysWithValues: state.routes.map { ($0.config.name, $0) })
            var log: [NotificationLog.Change] = []
            let restoring = plan.configs.isEmpty ? nil : state.restorable
            if restoring != nil {
                state.restorable = nil
                log.append(.forgetAll)  // the restored schedules write back what they resume
            }
            let now = clock.now()
            state.routes = zip(plan.configs, workers).map { config, worker in
                var schedule: ReceiverSchedule
                if let previous = current[config.name] {
                    schedule = previous.schedule.reloaded(from: previous.config, to: config, options: options)
                } else if let restoring {
                    let entries = Self.entries(restoring[config.name], of: config)
                    schedule = ReceiverSchedule(config, options: options, restoring: entries, now: now)
                } else {
                    schedule = ReceiverSchedule(config, options: options)
                }
                log += schedule.takeLogUpdates().changes(for: config, retention: options.notificationLogRetention)
                return Route(config: config, route: AlertRoute(config), schedule: schedule, worker: worker)
            }
            let kept = Set(plan.names)
            let removed = current.values.filter { !kept.contains($0.config.name) }.map(\.worker)
            state.draining = (state.draining + removed).filter { !$0.hasExited && !kept.contains($0.name) }
            log += removed.map { .forgetReceiver($0.name) }
            // Under the lock, like every flush's submission: the writer applies them in this order.
            if !log.isEmpty { writer.submit([], log: log) {} }
            let resumed = log.filter { if case .record = $0 { true } else { false } }.count
            return (removed, restoring == nil ? nil : resumed)
        }
        if let resumed, resumed > 0 {
            logger.info("notification log resumed: \(resumed) groups already notified are not notified again unless they change or their repeat_interval passes")
        }
        if !removed.isEmpty { persistSubmitted() }
        for worker in removed.sorted(by: { $0.name < $1.name }) {
            changes.removed.append(worker.name)
            let queued = registry.snapshot().first { $0.receiver == worker.name }?.queueLength ?? 0
            logger.warning("receiver removed: its \(queued) queued notifications are still delivered with its last settings",
                           metadata: ["receiver": "\(worker.name)"])
            worker.drain()
        }
        return changes
    }

    private enum Change { case added, changed, unchanged }

    /// The stored notification-log entries of `config`'s receiver made under its current
    /// type and `group_by` (others describe other groups), by group key.
    private static func entries(_ rows: [NotificationLog.Row]?, of config: ReceiverConfig) -> [String: NotificationLog.Entry] {
        let scope = NotificationLog.Scope(config)
        var entries: [String: NotificationLog.Entry] = [:]
        for row in rows ?? [] where row.scope == scope { entries[row.groupKey] = row.entry }
        return entries
    }

    /// The delivery thread for `config`: `previous` (the running or draining thread of that
    /// name) given the new settings, or a new one when there is none or it already ended.
    private func deliveryWorker(for config: ReceiverConfig, credentials: ReceiverCredentials,
                                previous: DeliveryWorker?) -> (DeliveryWorker, Change) {
        switch previous?.update(config: config, credentials: credentials) {
        case .unchanged?: return (previous!, .unchanged)
        case .changed?: return (previous!, .changed)
        case .ended?, nil:
            let worker = DeliveryWorker(config: config, credentials: credentials, options: options,
                                        storagePath: storagePath, metrics: registry, logger: logger, clock: clock)
            worker.start()
            return (worker, .added)
        }
    }

    /// Waits until the writer persisted everything submitted so far (it writes in order), so
    /// that a removed receiver's last notifications are in the outbox before it drains.
    private func persistSubmitted() {
        let written = DispatchSemaphore(value: 0)
        writer.submit([]) { written.signal() }
        written.wait()
    }
}

/// The delivery thread of each receiver name, for the outbox writer's wake-ups.
final class WorkerDirectory: Sendable {
    private let byName = Mutex<[String: DeliveryWorker]>([:])

    /// The workers of `names` that exist.
    func workers(named names: Set<String>) -> [DeliveryWorker] {
        byName.withLock { all in names.compactMap { all[$0] } }
    }

    /// Makes `workers` the current ones.
    func replace(with workers: [DeliveryWorker]) {
        byName.withLock { $0 = Dictionary(uniqueKeysWithValues: workers.map { ($0.name, $0) }) }
    }
}
