import Foundation

/// Alertmanager's aggregation groups and notification log for one receiver, as a state
/// machine: no clock inside, every mutating method takes `now` and returns what to send.
///
/// Semantics (Alertmanager 0.25's dispatcher and dedup stage):
/// - alerts are split into groups by the `group_by` labels (`...` = all labels);
/// - a new group is first flushed `group_wait` after it appears (at once if its alert
///   started longer than `group_wait` ago), then every `group_interval`;
/// - a flush notifies when a firing alert is new to the receiver, when all alerts resolved
///   after firing ones were notified, when a newly resolved alert exists and `send_resolved`
///   is on, or when `repeat_interval` passed since the last notification;
/// - resolved alerts leave the group after the flush; an empty group is removed.
///
/// The notification log survives restarts: every change to it is reported by
/// `takeLogUpdates()` for the caller to persist, and `init(settings:restoring:now:alertTimeout:keeping:)`
/// resumes a persisted log.
struct AlertGrouper: Sendable {
    /// The grouping and timing settings.
    struct Settings: Sendable {
        var groupBy: [String]
        var groupWait: TimeInterval
        var groupInterval: TimeInterval
        var repeatInterval: TimeInterval
        var sendResolved: Bool

        init(_ config: ReceiverConfig) {
            groupBy = config.groupBy
            groupWait = config.groupWait.timeInterval
            groupInterval = config.groupInterval.timeInterval
            repeatInterval = config.repeatInterval.timeInterval
            sendResolved = config.sendResolved
        }

        init(groupBy: [String], groupWait: TimeInterval, groupInterval: TimeInterval,
             repeatInterval: TimeInterval, sendResolved: Bool) {
            self.groupBy = groupBy
            self.groupWait = groupWait
            self.groupInterval = groupInterval
            self.repeatInterval = repeatInterval
            self.sendResolved = sendResolved
        }
    }

    /// One aggregation group with its notification-log entry.
    struct Group: Sendable {
        let labels: [String: String]
        var alerts: [UInt64: NotifyAlert] = [:]
        var nextFlush: Date
        var hasFlushed = false
        /// Fingerprints of the firing and resolved alerts last notified; nil before the first.
        var notifiedFiring: Set<UInt64>?
        var notifiedResolved: Set<UInt64> = []
        var lastNotified: Date?
    }

    let settings: Settings
    private(set) var groups: [String: Group] = [:]
    /// Changes to the notification log not yet taken by `takeLogUpdates()`.
    private var logUpdates = NotificationLog.Updates()

    init(settings: Settings) { self.settings = settings }

    /// A grouper that replaces whatever log its receiver had (a reload that changed
    /// `group_by`: the old group keys are void).
    init(settings: Settings, replacingLog: Bool) {
        self.settings = settings
        logUpdates.forgetAll = replacingLog
    }

    /// A grouper resuming `log`, the notification log persisted before a restart, at `now`.
    ///
    /// Each entry's notified firing alerts (those `keep` accepts: the receiver's matchers
    /// may have changed) become its group's alerts again, as if the rules had sent them, but
    /// expiring `alertTimeout` after `now` (as Alertmanager resolves an alert that is not
    /// refreshed): an alert still firing is refreshed by the rules before then and
    /// notified again only after `repeat_interval`, as without the restart; one that resolved
    /// while the process was down is notified as resolved at the first flush after its
    /// expiry. The groups are flushed as new ones (at once, their alerts being older than
    /// `group_wait`). The restored log replaces the stored one (`takeLogUpdates()`).
    init(settings: Settings, restoring log: [String: NotificationLog.Entry], now: Date, alertTimeout: TimeInterval,
         keeping keep: (NotifyAlert) -> Bool) {
        self.init(settings: settings, replacingLog: true)
        for (key, var entry) in log {
            entry.firing = entry.firing.filter(keep)
            guard !entry.firing.isEmpty else { continue }
            var group = Group(labels: entry.groupLabels, nextFlush: now.addingTimeInterval(settings.groupWait))
            for var alert in entry.firing {
                alert.endsAt = now.addingTimeInterval(alertTimeout)
                group.alerts[alert.fingerprint] = alert
                if alert.startsAt.addingTimeInterval(settings.groupWait) < now { group.nextFlush = now }
            }
            group.notifiedFiring = entry.firingFingerprints
            group.notifiedResolved = entry.resolved
            group.lastNotified = entry.notifiedAt
            groups[key] = group
            logUpdates.groups[key] = .record(entry)
        }
    }

    /// The changes to the notification log since the last call (to persist them).
    mutating func takeLogUpdates() -> NotificationLog.Updates {
        defer { logUpdates = NotificationLog.Updates() }
        return logUpdates
    }

    /// The earliest moment a group is due, or nil with no groups.
    var nextDeadline: Date? { groups.values.map(\.nextFlush).min() }

    /// Adds or updates `alert`. A resolved alert that no group knows is ignored.
    mutating func insert(_ alert: NotifyAlert, now: Date) {
        let labels = groupLabels(of: alert.labels)
        let key = "{}:" + labelSetString(labels)
        if groups[key] == nil {
            guard !alert.isResolved(at: now) else { return }
            groups[key] = Group(labels: labels, nextFlush: now.addingTimeInterval(settings.groupWait))
        }
        groups[key]!.alerts[alert.fingerprint] = alert
        if !groups[key]!.hasFlushed && alert.startsAt.addingTimeInterval(settings.groupWait) < now {
            groups[key]!.nextFlush = now
        }
    }

    /// This grouper's state under `settings` (a reload; same `group_by`, so the same group
    /// keys): groups keep their alerts, timers and notification log, so nothing already
    /// notified is sent again; new timings apply from each group's next flush. Alerts
    /// `keep` refuses (they no longer route here) leave their groups; emptied groups go.
    func reconfigured(_ settings: Settings, keeping keep: (NotifyAlert) -> Bool) -> AlertGrouper {
        precondition(settings.groupBy == self.settings.groupBy, "group_by changed: start a new grouper")
        var copy = AlertGrouper(settings: settings)
        copy.logUpdates = logUpdates
        for (key, var group) in groups {
            group.alerts = group.alerts.filter { keep($0.value) }
            if !group.alerts.isEmpty {
                copy.groups[key] = group
            } else if group.notifiedFiring != nil {
                copy.logUpdates.groups[key] = .forget
            }
        }
        return copy
    }

    /// Flushes every group due at `now`; returns the notifications to send, by group key.
    mutating func flushDue(now: Date) -> [NotificationBatch] {
        var out: [NotificationBatch] = []
        for key in groups.keys.sorted() where groups[key]!.nextFlush <= now {
            if let batch = flush(key, now: now) { out.append(batch) }
        }
        return out
    }

    private mutating func flush(_ key: String, now: Date) -> NotificationBatch? {
        var group = groups[key]!
        group.hasFlushed = true
        group.nextFlush = now.addingTimeInterval(settings.groupInterval)
        let alerts = group.alerts.values.sorted { $0.fingerprint < $1.fingerprint }
        let firing = Set(alerts.filter { !$0.isResolved(at: now) }.map(\.fingerprint))
        let resolved = Set(alerts.filter { $0.isResolved(at: now) }.map(\.fingerprint))
        var batch: NotificationBatch?
        if needsUpdate(group, firing: firing, resolved: resolved, now: now) {
            let sent = settings.sendResolved ? alerts : alerts.filter { !$0.isResolved(at: now) }
            if !sent.isEmpty {
                batch = NotificationBatch(groupKey: key, groupLabels: group.labels, alerts: sent, at: now)
            }
            group.notifiedFiring = firing
            group.notifiedResolved = resolved
            group.lastNotified = now
            logUpdates.groups[key] = .record(NotificationLog.Entry(
                groupLabels: group.labels, firing: alerts.filter { !$0.isResolved(at: now) }, resolved: resolved,
                notifiedAt: now))
        }
        for fingerprint in resolved { group.alerts[fingerprint] = nil }
        if group.alerts.isEmpty {
            groups[key] = nil
            if group.notifiedFiring != nil { logUpdates.groups[key] = .forget }
        } else {
            groups[key] = group
        }
        return batch
    }

    /// Alertmanager's `DedupStage.needsUpdate`.
    private func needsUpdate(_ group: Group, firing: Set<UInt64>, resolved: Set<UInt64>, now: Date) -> Bool {
        guard let notifiedFiring = group.notifiedFiring, let last = group.lastNotified else {
            return !firing.isEmpty
        }
        if !firing.isSubset(of: notifiedFiring) { return true }
        if firing.isEmpty { return !notifiedFiring.isEmpty }
        if settings.sendResolved && !resolved.isSubset(of: group.notifiedResolved) { return true }
        return last.addingTimeInterval(settings.repeatInterval) < now
    }

    private func groupLabels(of labels: [String: String]) -> [String: String] {
        if settings.groupBy == ["..."] { return labels }
        var out: [String: String] = [:]
        for name in settings.groupBy { if let value = labels[name] { out[name] = value } }
        return out
    }
}
