import CSQLite
import Foundation

/// The notification log's table, `nflog`, in the outbox database (same file, same WAL and
/// `synchronous=FULL` settings, same transactions as the outbox rows): one row per receiver
/// and group key.
///
/// Columns: the scope the entry was made under (`receiver_type`, `group_by` as JSON), the
/// group's labels, the firing alerts notified (JSON: labels, annotations, `startsAt`,
/// `generatorURL`, fingerprint), the resolved fingerprints notified (JSON, hex), when, and
/// when the row expires. `sqlite3 notify-outbox.sqlite 'SELECT * FROM nflog'` shows it.
extension Outbox {
    /// Creates the table if needed (part of `prepare`).
    func createNotificationLog() throws {
        try execute("""
            CREATE TABLE IF NOT EXISTS nflog (
              receiver TEXT NOT NULL, group_key TEXT NOT NULL, receiver_type TEXT NOT NULL, group_by TEXT NOT NULL,
              group_labels TEXT NOT NULL, firing TEXT NOT NULL, resolved TEXT NOT NULL,
              notified_at REAL NOT NULL, expires_at REAL NOT NULL,
              PRIMARY KEY (receiver, group_key))
            """)
    }

    /// Applies one change; `write` calls it inside its transaction.
    func apply(_ change: NotificationLog.Change) throws {
        switch change {
        case .record(let row):
            let stored = StoredEntry(row)
            try run("""
                INSERT OR REPLACE INTO nflog(receiver, group_key, receiver_type, group_by, group_labels, firing, resolved,
                                             notified_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?)
                """, [.text(row.receiver), .text(row.groupKey), .text(row.scope.type.rawValue), .text(json(row.scope.groupBy)),
                      .text(json(row.entry.groupLabels)), .text(json(stored.firing)), .text(json(stored.resolved)),
                      .real(row.entry.notifiedAt.timeIntervalSince1970), .real(row.expiresAt.timeIntervalSince1970)])
        case .forget(let receiver, let groupKey):
            try run("DELETE FROM nflog WHERE receiver = ? AND group_key = ?", [.text(receiver), .text(groupKey)])
        case .forgetReceiver(let receiver):
            try run("DELETE FROM nflog WHERE receiver = ?", [.text(receiver)])
        case .forgetAll:
            try run("DELETE FROM nflog", [])
        }
    }

    /// Deletes the rows expired at `now` and returns the others, by receiver and group key.
    /// A row that cannot be decoded (written by a later version, damaged) is left out: its
    /// group is then notified again, at least once as without a log.
    func notificationLog(at now: Date) throws -> [NotificationLog.Row] {
        try run("DELETE FROM nflog WHERE expires_at <= ?", [.real(now.timeIntervalSince1970)])
        let rows = try query("""
            SELECT receiver, group_key, receiver_type, group_by, group_labels, firing, resolved, notified_at, expires_at
            FROM nflog ORDER BY receiver, group_key
            """, []) { row -> NotificationLog.Row? in
            guard let type = ReceiverKind(rawValue: columnText(row, 2)),
                  let groupBy = decode([String].self, columnText(row, 3)),
                  let labels = decode([String: String].self, columnText(row, 4)),
                  let firing = decode([StoredAlert].self, columnText(row, 5)),
                  let resolved = decode([String].self, columnText(row, 6)) else { return nil }
            let entry = NotificationLog.Entry(
                groupLabels: labels, firing: firing.map(\.alert), resolved: Set(resolved.compactMap { UInt64($0, radix: 16) }),
                notifiedAt: Date(timeIntervalSince1970: sqlite3_column_double(row, 7)))
            return NotificationLog.Row(receiver: columnText(row, 0), groupKey: columnText(row, 1),
                                       scope: NotificationLog.Scope(type: type, groupBy: groupBy), entry: entry,
                                       expiresAt: Date(timeIntervalSince1970: sqlite3_column_double(row, 8)))
        }
        return rows.compactMap { $0 }
    }
}

/// An entry's JSON columns.
private struct StoredEntry {
    let firing: [StoredAlert]
    let resolved: [String]

    init(_ row: NotificationLog.Row) {
        firing = row.entry.firing.map(StoredAlert.init)
        resolved = row.entry.resolved.sorted().map(NotifyAlert.hex)
    }
}

/// A firing alert as the log stores it (its `endsAt` is nil: it was firing).
private struct StoredAlert: Codable {
    var fingerprint: String
    var labels: [String: String]
    var annotations: [String: String]
    var startsAt: Double
    var generatorURL: String

    init(_ alert: NotifyAlert) {
        fingerprint = alert.fingerprintHex
        labels = alert.labels
        annotations = alert.annotations
        startsAt = alert.startsAt.timeIntervalSince1970
        generatorURL = alert.generatorURL
    }

    var alert: NotifyAlert {
        NotifyAlert(labels: labels, annotations: annotations, startsAt: Date(timeIntervalSince1970: startsAt),
                    generatorURL: generatorURL)
    }
}

private func json<T: Encodable>(_ value: T) -> String {
    String(decoding: encodePayload(value), as: UTF8.self)
}

private func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
    try? JSONDecoder().decode(type, from: Data(text.utf8))
}
