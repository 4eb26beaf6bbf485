import Foundation

/// The `alertmanager` receiver's schedule: no grouping, Prometheus's notifier timing.
///
/// Like Prometheus's rule manager, a firing alert is sent when it appears or changes and
/// again every `resendDelay` (1m) with `endsAt = now + 4 × resendDelay`, so Alertmanager
/// resolves it by itself if we die; a resolved alert is sent with its `endsAt` at once and
/// again every `resendDelay` for `resolvedRetention` (15m), then forgotten.
/// `send_resolved` does not apply: Alertmanager must learn every resolution.
struct AlertmanagerResendQueue: Sendable {
    /// Prometheus's `--rules.alert.resend-delay` default.
    var resendDelay: TimeInterval = 60
    /// Prometheus's `resolvedRetention`.
    var resolvedRetention: TimeInterval = 15 * 60

    private struct Entry: Sendable {
        var alert: NotifyAlert
        var lastSent: Date?
    }

    private var entries: [UInt64: Entry] = [:]

    init(resendDelay: TimeInterval = 60, resolvedRetention: TimeInterval = 15 * 60) {
        self.resendDelay = resendDelay
        self.resolvedRetention = resolvedRetention
    }

    /// The number of alerts being tracked.
    var count: Int { entries.count }

    /// The earliest moment an alert is due, or nil with nothing to send.
    var nextDeadline: Date? {
        entries.values.map { $0.lastSent?.addingTimeInterval(resendDelay) ?? .distantPast }.min()
    }

    /// Adds or updates `alert`; a new or changed alert is due at once.
    mutating func insert(_ alert: NotifyAlert, now: Date) {
        let fingerprint = alert.fingerprint
        if let old = entries[fingerprint], old.alert == alert { return }
        if entries[fingerprint] == nil && alert.isResolved(at: now) && alert.endsAt! < now - resolvedRetention {
            return
        }
        entries[fingerprint] = Entry(alert: alert, lastSent: nil)
    }

    /// Forgets the alerts `keep` refuses (a reload changed the receiver's matchers); the
    /// others keep their resend timers.
    mutating func retain(where keep: (NotifyAlert) -> Bool) {
        entries = entries.filter { keep($0.value.alert) }
    }

    /// The alerts due at `now` as one batch (nil if none), with firing ones stamped with
    /// their expiry; forgets resolved alerts past their retention.
    mutating func flushDue(now: Date) -> NotificationBatch? {
        var due: [NotifyAlert] = []
        for fingerprint in entries.keys.sorted() {
            var entry = entries[fingerprint]!
            if let endsAt = entry.alert.endsAt, entry.alert.isResolved(at: now),
               endsAt.addingTimeInterval(resolvedRetention) < now, entry.lastSent != nil {
                entries[fingerprint] = nil
                continue
            }
            guard entry.lastSent.map({ $0.addingTimeInterval(resendDelay) <= now }) ?? true else { continue }
            var sent = entry.alert
            if !sent.isResolved(at: now) { sent.endsAt = now.addingTimeInterval(4 * resendDelay) }
            due.append(sent)
            entry.lastSent = now
            entries[fingerprint] = entry
        }
        guard !due.isEmpty else { return nil }
        return NotificationBatch(groupKey: "{}:{}", groupLabels: [:], alerts: due, at: now)
    }
}
