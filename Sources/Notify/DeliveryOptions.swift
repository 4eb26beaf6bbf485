import Foundation

/// Timing knobs of delivery that are not per-receiver config; defaults are production values,
/// tests scale them down.
public struct DeliveryOptions: Sendable {
    /// First retry delay (doubled per attempt, ±20 % jitter).
    public var initialBackoff: TimeInterval = 1
    /// Largest retry delay.
    public var maximumBackoff: TimeInterval = 300
    /// Largest `Retry-After` honoured.
    public var maximumRetryAfter: TimeInterval = 3600
    /// How often `run()` checks the group timers (the precision of `group_wait` & co.).
    public var tickInterval: TimeInterval = 0.1
    /// Prometheus's alert resend delay, for `alertmanager` receivers.
    public var alertmanagerResendDelay: TimeInterval = 60
    /// How long resolved alerts keep being resent to `alertmanager` receivers.
    public var alertmanagerResolvedRetention: TimeInterval = 15 * 60

    /// After a restart, how long an alert that the notification log says was notified firing
    /// is taken as still firing without the rules sending it again; then it is notified as
    /// resolved (it resolved while the process was down). Longer than the longest `for` of
    /// the rules, so that an alert that is pending again after the restart is not resolved
    /// and re-fired: Prometheus's `for` grace period (10m) plus a minute.
    public var restoredAlertTimeout: TimeInterval = 11 * 60
    /// How long a notification-log entry is kept after its notification (or
    /// `repeat_interval`, if longer): Alertmanager's `--data.retention` (120h).
    public var notificationLogRetention: TimeInterval = 120 * 3600

    /// Production defaults.
    public init() {}
}
