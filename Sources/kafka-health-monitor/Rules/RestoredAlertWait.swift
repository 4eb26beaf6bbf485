import Alerts
import Foundation

/// How long alerts restored from the notification log after a restart wait to be sent again
/// before they count as resolved while the process was down (Notify's
/// `restoredAlertTimeout`): long enough for a rule whose alert still holds to fire it again.
/// A restarted rule fires after its `for` (plus up to two evaluation intervals); rules whose
/// `for` is at least Prometheus's grace period (10 m) get their `for` progress restored and
/// fire again at the second evaluation. So: the longest `for` capped at the grace period,
/// two intervals of the slowest group, and a minute for a slow first collection. With the
/// shipped rules at the default 30 s interval that is 4 minutes, instead of the 11 minutes
/// Notify assumes when it knows nothing of the rules.
enum RestoredAlertWait {
    /// The wait, in seconds, for the alerts of `groups`.
    static func seconds(for groups: [RuleGroup], gracePeriod: Int64 = AlertingRule.RestoreOptions().forGracePeriod) -> TimeInterval {
        let longestFor = groups.flatMap(\.definition.rules).map(\.forDuration).max() ?? 0
        let slowestInterval = groups.map(\.interval).max() ?? 0
        let milliseconds = min(longestFor, gracePeriod) + 2 * slowestInterval + 60_000
        return TimeInterval(milliseconds) / 1000
    }
}
