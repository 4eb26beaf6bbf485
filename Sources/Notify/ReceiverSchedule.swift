import Foundation

/// When a receiver is notified: Alertmanager grouping for webhook, Slack and PagerDuty;
/// Prometheus's resend schedule for Alertmanager itself.
enum ReceiverSchedule: Sendable {
    case grouped(AlertGrouper)
    case resend(AlertmanagerResendQueue)

    init(_ config: ReceiverConfig, options: DeliveryOptions) {
        if config.type == .alertmanager {
            self = .resend(AlertmanagerResendQueue(resendDelay: options.alertmanagerResendDelay,
                                                   resolvedRetention: options.alertmanagerResolvedRetention))
        } else {
            self = .grouped(AlertGrouper(settings: AlertGrouper.Settings(config)))
        }
    }

    /// The schedule of a receiver configured at start, resuming `log` (its notification log
    /// persisted before the restart, entries of another scope already left out) at `now`.
    /// The `alertmanager` receiver keeps no log: after a restart it resends what fires, as
    /// Prometheus does, and Alertmanager's own log deduplicates.
    init(_ config: ReceiverConfig, options: DeliveryOptions, restoring log: [String: NotificationLog.Entry], now: Date) {
        guard config.type != .alertmanager else {
            self.init(config, options: options)
            return
        }
        let route = AlertRoute(config)
        self = .grouped(AlertGrouper(settings: AlertGrouper.Settings(config), restoring: log, now: now,
                                     alertTimeout: options.restoredAlertTimeout) { route.accepts($0.labels) })
    }

    /// The notification-log changes since the last call (none for `alertmanager`).
    mutating func takeLogUpdates() -> NotificationLog.Updates {
        guard case .grouped(var grouper) = self else { return NotificationLog.Updates() }
        let updates = grouper.takeLogUpdates()
        self = .grouped(grouper)
        return updates
    }

    mutating func insert(_ alert: NotifyAlert, now: Date) {
        switch self {
        case .grouped(var grouper): grouper.insert(alert, now: now); self = .grouped(grouper)
        case .resend(var queue): queue.insert(alert, now: now); self = .resend(queue)
        }
    }

    mutating func flushDue(now: Date) -> [NotificationBatch] {
        switch self {
        case .grouped(var grouper):
            let batches = grouper.flushDue(now: now)
            self = .grouped(grouper)
            return batches
        case .resend(var queue):
            let batch = queue.flushDue(now: now)
            self = .resend(queue)
            return batch.map { [$0] } ?? []
        }
    }
}

extension ReceiverConfig {
    /// The outbox entries for `batch`: its payload in this receiver's format, one entry per
    /// target URL (several for an Alertmanager HA set, each its own ordered group).
    func entries(for batch: NotificationBatch, externalURL: String, now: Date) -> [Outbox.Entry] {
        let payload: Data
        switch type {
        case .webhook:
            payload = encodePayload(WebhookPayload(batch, receiver: name, externalURL: externalURL, maxAlerts: maxAlerts))
        case .alertmanager:
            payload = encodePayload(AlertmanagerPayload(batch))
        case .slack:
            payload = encodePayload(SlackPayload(batch, channel: channel, maxAlerts: maxAlerts))
        case .pagerduty:
            payload = encodePayload(PagerDutyPayload(batch, receiver: name, externalURL: externalURL))
        }
        return targetURLs.map { url in
            Outbox.Entry(receiver: name, groupKey: type == .alertmanager ? url : batch.groupKey, url: url,
                         payload: payload, nextAttempt: now, created: now)
        }
    }
}
