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

    /// Production defaults.
    public init() {}
}
