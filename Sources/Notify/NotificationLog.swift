import Foundation

/// Alertmanager's notification log (nflog) for one grouped receiver: per group key, what was
/// last notified and when. `AlertGrouper` keeps it in memory and reports every change; the
/// dispatcher persists the changes in the outbox's SQLite database, in the same transaction
/// as the notifications they describe, and hands the stored log back to the grouper after a
/// restart, so that a group still firing with the same alerts is not paged again before its
/// `repeat_interval`.
enum NotificationLog {
    /// What a group's last notification contained.
    struct Entry: Sendable, Equatable {
        /// The labels the group was formed by.
        var groupLabels: [String: String]
        /// The firing alerts notified, as they were sent (sorted by fingerprint): after a
        /// restart they stand in for the alerts until the rules send them again, and a
        /// resolution is rendered from them if they never come back.
        var firing: [NotifyAlert]
        /// Fingerprints of the resolved alerts notified.
        var resolved: Set<UInt64>
        /// When the notification was made.
        var notifiedAt: Date

        /// Fingerprints of `firing`.
        var firingFingerprints: Set<UInt64> { Set(firing.map(\.fingerprint)) }
    }

    /// A change to one group's entry.
    enum Update: Sendable, Equatable {
        /// The group was notified: this is its entry now.
        case record(Entry)
        /// The group is gone (resolved and notified, or dropped by a reload): no entry.
        case forget
    }

    /// The changes a grouper made since they were last taken.
    struct Updates: Sendable, Equatable {
        /// Every entry stored before these updates is void (a fresh grouper replaced the
        /// receiver's, e.g. after `group_by` changed, or a restored one rewrites it).
        var forgetAll = false
        /// The latest change of each group key.
        var groups: [String: Update] = [:]

        /// Whether there is nothing to persist.
        var isEmpty: Bool { !forgetAll && groups.isEmpty }
    }

    /// What the stored entries of a receiver were made under: entries of another type or
    /// another `group_by` describe other groups (as a reload that changes `group_by` starts
    /// afresh) and are not restored.
    struct Scope: Sendable, Equatable {
        var type: ReceiverKind
        var groupBy: [String]

        init(type: ReceiverKind, groupBy: [String]) {
            self.type = type
            self.groupBy = groupBy
        }

        init(_ config: ReceiverConfig) { self.init(type: config.type, groupBy: config.groupBy) }
    }

    /// One stored entry, as the database holds it.
    struct Row: Sendable, Equatable {
        var receiver: String
        var groupKey: String
        var scope: Scope
        var entry: Entry
        /// After this moment the row is void: `notifiedAt` + max(`repeat_interval`, retention).
        var expiresAt: Date
    }

    /// A write to the stored log, applied by the outbox writer in submission order.
    enum Change: Sendable, Equatable {
        /// Store (or replace) a group's entry.
        case record(Row)
        /// Delete a group's entry.
        case forget(receiver: String, groupKey: String)
        /// Delete every entry of a receiver (removed by a reload, or its groups started afresh).
        case forgetReceiver(String)
        /// Delete every entry (at start, before the restored state is written back).
        case forgetAll
    }
}

extension NotificationLog.Updates {
    /// The writes these updates make for `config`'s receiver; entries expire `retention`
    /// after their notification, or `repeat_interval` after it if that is longer.
    func changes(for config: ReceiverConfig, retention: TimeInterval) -> [NotificationLog.Change] {
        var changes: [NotificationLog.Change] = forgetAll ? [.forgetReceiver(config.name)] : []
        let lifetime = max(config.repeatInterval.timeInterval, retention)
        for key in groups.keys.sorted() {
            switch groups[key]! {
            case .record(let entry):
                changes.append(.record(NotificationLog.Row(
                    receiver: config.name, groupKey: key, scope: NotificationLog.Scope(config), entry: entry,
                    expiresAt: entry.notifiedAt.addingTimeInterval(lifetime))))
            case .forget:
                changes.append(.forget(receiver: config.name, groupKey: key))
            }
        }
        return changes
    }
}
