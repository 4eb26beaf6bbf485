import CSQLite
import Foundation

/// The durable outbox: notifications waiting for a 2xx, in SQLite (WAL, `synchronous=FULL`)
/// at `<storage.path>/notify-outbox.sqlite`.
///
/// A notification is inserted before its first attempt and deleted only after a 2xx (or a
/// rejection), so a crash at any moment loses nothing: the next process resumes the rows.
/// Each delivery thread opens its own connection and uses it only on that thread.
final class Outbox {
    /// One stored notification.
    struct Entry: Sendable, Equatable {
        var id: Int64 = 0
        var receiver: String
        var groupKey: String
        var url: String
        var payload: Data
        var attempts: Int = 0
        var nextAttempt: Date
        var created: Date
    }

    /// The database file inside a storage directory.
    static func file(in directory: String) -> String { directory + "/notify-outbox.sqlite" }

    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]

    /// Creates the outbox in `directory` if needed (directory, WAL mode, table): call once,
    /// before any thread opens it, so that connections never race to set it up.
    static func prepare(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let outbox = try Outbox(directory: directory)
        try outbox.execute("PRAGMA journal_mode=WAL")
        try outbox.execute("""
            CREATE TABLE IF NOT EXISTS outbox (
              id INTEGER PRIMARY KEY AUTOINCREMENT, receiver TEXT NOT NULL, group_key TEXT NOT NULL,
              url TEXT NOT NULL, payload BLOB NOT NULL, attempts INTEGER NOT NULL,
              next_attempt REAL NOT NULL, created REAL NOT NULL)
            """)
        try outbox.execute("CREATE INDEX IF NOT EXISTS outbox_group ON outbox(receiver, group_key, id)")
        try outbox.createNotificationLog()
    }

    /// Opens a connection to the outbox in `directory` (see `prepare`); use it on one thread.
    init(directory: String) throws {
        guard sqlite3_open_v2(Self.file(in: directory), &db,
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            db = nil  // deinit runs for a fully initialised object that throws: close once only
            throw NotifyStorageError(description: "cannot open \(Self.file(in: directory)): \(message)")
        }
        // The writer and the delivery threads each hold a connection; a commit's fsync makes the
        // others wait. SQLite's own busy timeout sleeps in steps of up to 100 ms, which would
        // add that much to a page's latency: poll every 200 µs instead, for up to 10 s.
        sqlite3_busy_handler(db, { _, attempt in
            guard attempt < 50_000 else { return 0 }
            usleep(200)
            return 1
        }, nil)
        try execute("PRAGMA synchronous=FULL")
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close(db)
    }

    /// Stores `entries` in one transaction; returns them with their ids.
    func insert(_ entries: [Entry]) throws -> [Entry] {
        try write(entries, log: [])
    }

    /// Stores `entries` and applies `log` (in order) in one transaction, so that the
    /// notification log never says a group was notified unless its notification is queued,
    /// nor the reverse; returns the entries with their ids.
    func write(_ entries: [Entry], log: [NotificationLog.Change]) throws -> [Entry] {
        try execute("BEGIN IMMEDIATE")
        var stored: [Entry] = []
        do {
            for var entry in entries {
                try run("INSERT INTO outbox(receiver, group_key, url, payload, attempts, next_attempt, created) VALUES (?,?,?,?,?,?,?)",
                        [.text(entry.receiver), .text(entry.groupKey), .text(entry.url), .blob(entry.payload),
                         .int(Int64(entry.attempts)), .real(entry.nextAttempt.timeIntervalSince1970),
                         .real(entry.created.timeIntervalSince1970)])
                entry.id = sqlite3_last_insert_rowid(db)
                stored.append(entry)
            }
            for change in log { try apply(change) }
            try execute("COMMIT")
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
        return stored
    }

    /// The number of entries of `receiver`.
    func count(receiver: String) throws -> Int {
        Int(try query("SELECT COUNT(*) FROM outbox WHERE receiver = ?", [.text(receiver)]) { columnInt64($0, 0) }.first ?? 0)
    }

    /// Deletes the `count` oldest entries of `receiver`; returns how many went.
    func dropOldest(receiver: String, count: Int) throws -> Int {
        try run("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE receiver = ? ORDER BY id LIMIT ?)",
                [.text(receiver), .int(Int64(count))])
        return Int(sqlite3_changes(db))
    }

    /// The entry of `receiver` to try next: among the oldest entry of each group (a group's
    /// next notification waits for the previous one), the one due first.
    func next(receiver: String) throws -> Entry? {
        try query("""
            SELECT id, group_key, url, payload, attempts, next_attempt, created FROM outbox o
            WHERE receiver = ?1 AND id = (SELECT MIN(id) FROM outbox i WHERE i.receiver = ?1 AND i.group_key = o.group_key)
            ORDER BY next_attempt, id LIMIT 1
            """, [.text(receiver)]) { row in
            Entry(id: columnInt64(row, 0), receiver: receiver, groupKey: columnText(row, 1), url: columnText(row, 2),
                  payload: columnBlob(row, 3), attempts: Int(columnInt64(row, 4)),
                  nextAttempt: Date(timeIntervalSince1970: sqlite3_column_double(row, 5)),
                  created: Date(timeIntervalSince1970: sqlite3_column_double(row, 6)))
        }.first
    }

    /// Records a failed attempt: `attempts` tries so far, next one at `nextAttempt`.
    func reschedule(id: Int64, attempts: Int, nextAttempt: Date) throws {
        try run("UPDATE outbox SET attempts = ?, next_attempt = ? WHERE id = ?",
                [.int(Int64(attempts)), .real(nextAttempt.timeIntervalSince1970), .int(id)])
    }

    /// Postpones every entry of `receiver` for `url` (all of the receiver's entries when nil:
    /// a single-URL receiver has one endpoint) to `until` at the earliest: when an endpoint
    /// is down or rate-limiting, one probe per backoff period is enough, not one per group.
    func postpone(receiver: String, url: String?, until: Date) throws {
        if let url {
            try run("UPDATE outbox SET next_attempt = MAX(next_attempt, ?) WHERE receiver = ? AND url = ?",
                    [.real(until.timeIntervalSince1970), .text(receiver), .text(url)])
        } else {
            try run("UPDATE outbox SET next_attempt = MAX(next_attempt, ?) WHERE receiver = ?",
                    [.real(until.timeIntervalSince1970), .text(receiver)])
        }
    }

    /// Makes every entry of `receiver` due by `now` with its backoff reset (its settings
    /// changed on reload: the failures were the old settings').
    func retryNow(receiver: String, now: Date) throws {
        try run("UPDATE outbox SET attempts = 0, next_attempt = MIN(next_attempt, ?) WHERE receiver = ?",
                [.real(now.timeIntervalSince1970), .text(receiver)])
    }

    /// Removes a delivered (or rejected) entry.
    func delete(id: Int64) throws {
        try run("DELETE FROM outbox WHERE id = ?", [.int(id)])
    }

    // MARK: - SQLite plumbing

    enum Value { case text(String), blob(Data), int(Int64), real(Double) }

    /// Runs `sql` (no parameters, no rows), e.g. a transaction statement.
    func execute(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw failure(sql) }
    }

    /// Runs a cached prepared statement with `values` bound, ignoring rows.
    func run(_ sql: String, _ values: [Value]) throws {
        _ = try query(sql, values) { _ in () }
    }

    /// Runs a cached prepared statement with `values` bound, mapping each row.
    func query<T>(_ sql: String, _ values: [Value], _ row: (OpaquePointer) -> T) throws -> [T] {
        let statement = try prepared(sql)
        defer { sqlite3_reset(statement); sqlite3_clear_bindings(statement) }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .text(let text): sqlite3_bind_text(statement, index, text, -1, sqliteTransient)
            case .int(let int): sqlite3_bind_int64(statement, index, int)
            case .real(let real): sqlite3_bind_double(statement, index, real)
            case .blob(let data):
                _ = data.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), sqliteTransient) }
            }
        }
        var rows: [T] = []
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW: rows.append(row(statement))
            case SQLITE_DONE: return rows
            default: throw failure(sql)
            }
        }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw failure(sql) }
        statements[sql] = statement
        return statement
    }

    private func failure(_ sql: String) -> NotifyStorageError {
        NotifyStorageError(description: "sqlite: \(String(cString: sqlite3_errmsg(db))) (in \(sql.prefix(60)))")
    }
}

/// SQLITE_TRANSIENT: SQLite copies the bound bytes before the call returns.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// Column `column` of the current row as an integer.
func columnInt64(_ row: OpaquePointer, _ column: Int32) -> Int64 { sqlite3_column_int64(row, column) }

/// Column `column` of the current row as text ("" for NULL).
func columnText(_ row: OpaquePointer, _ column: Int32) -> String {
    sqlite3_column_text(row, column).map { String(cString: $0) } ?? ""
}

/// Column `column` of the current row as bytes.
func columnBlob(_ row: OpaquePointer, _ column: Int32) -> Data {
    guard let bytes = sqlite3_column_blob(row, column) else { return Data() }
    return Data(bytes: bytes, count: Int(sqlite3_column_bytes(row, column)))
}

/// The notification outbox could not be opened or used (`description` has SQLite's message).
public struct NotifyStorageError: Error, Sendable, CustomStringConvertible {
    /// What failed, with SQLite's message.
    public let description: String
}
