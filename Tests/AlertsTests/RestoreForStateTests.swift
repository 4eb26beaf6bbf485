import Foundation
import PromQL
import Testing
import TestSupport
import TimeSeries
@testable import Alerts

/// After a restart, alerts take back their `for` progress from `ALERTS_FOR_STATE`
/// (Prometheus's RestoreForState with its default 1 h outage tolerance and 10 m grace period).
@Suite struct RestoreForStateTests {
    static let minute: Int64 = 60_000
    static let t0: Int64 = 1_700_000_000_000

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let downAt: Int64  // minute of the last evaluation before the restart
        let restartAt: Int64
        let firesAt: Int64  // first minute at which the alert fires after the restart
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "the downtime is added to the pending time", downAt: 5, restartAt: 8, firesAt: 18),
        Case(name: "less than the grace period left: fires after the grace period", downAt: 12, restartAt: 14, firesAt: 24),
        // It keeps its old activeAt, so it fires again at the evaluation after the restore
        // rather than waiting its whole `for` once more.
        Case(name: "it was firing: fires again at the second evaluation", downAt: 20, restartAt: 22, firesAt: 23),
    ]

    static func manager(store: Store, folder: URL, restore: Bool) throws -> RuleManager {
        let file = folder.appendingPathComponent("r.yml")
        try "groups:\n  - name: g\n    rules:\n      - alert: Slow\n        expr: up == 0\n        for: 15m\n"
            .write(to: file, atomically: true, encoding: .utf8)
        var options = RuleGroup.Options(query: EngineQuery.function(engine: Engine(), querier: store), appender: store)
        if restore { options.restoreFrom = store }
        let manager = RuleManager(options: options)
        try manager.update(files: [file.path], at: t0).get()
        return manager
    }

    /// A store where `up` is 0 every minute for 40 minutes from t0.
    static func storeWithTargetDown() -> Store {
        let store = Store(retention: 24 * 3_600_000)
        for m: Int64 in 0...40 { store.append(["__name__": "up"], Sample(t0 + m * minute, 0)) }
        return store
    }

    /// A store holding another's samples, as a restarted process finds its snapshot (the
    /// samples survive; which source wrote which series does not).
    static func restarted(_ old: Store) -> Store {
        let store = Store(retention: 24 * 3_600_000)
        for series in old.select([], mint: 0, maxt: .max) {
            for sample in series.samples { store.append(series.labels, sample) }
        }
        return store
    }

    @Test(arguments: cases)
    func restartKeepsForProgress(_ testCase: Case) throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = Self.storeWithTargetDown()

        let before = try Self.manager(store: first, folder: folder, restore: true)
        for m: Int64 in 0...testCase.downAt { before.evaluate(at: Self.t0 + m * Self.minute) }

        let store = Self.restarted(first)
        let after = try Self.manager(store: store, folder: folder, restore: true)
        var firstFiring: Int64?
        for m: Int64 in testCase.restartAt...40 where firstFiring == nil {
            after.evaluate(at: Self.t0 + m * Self.minute)
            if after.alerts.first?.state == .firing { firstFiring = m }
        }
        #expect(firstFiring == testCase.firesAt)
        // The first evaluation after the start writes no ALERTS series, as in Prometheus.
        let alerts = store.select([try LabelMatcher(.equal, "__name__", "ALERTS")], mint: 0, maxt: .max)
        let times = alerts.flatMap(\.samples).map { ($0.timestamp - Self.t0) / Self.minute }
        #expect(!times.contains(testCase.restartAt))
        #expect(times.contains(testCase.restartAt + 1))
    }

    @Test func withoutARestoreSourceAlertsStartAfresh() throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = Self.storeWithTargetDown()
        let before = try Self.manager(store: store, folder: folder, restore: false)
        for m: Int64 in 0...5 { before.evaluate(at: Self.t0 + m * Self.minute) }
        let after = try Self.manager(store: Self.restarted(store), folder: folder, restore: false)
        after.evaluate(at: Self.t0 + 8 * Self.minute)
        #expect(after.alerts.first?.activeAt == Self.t0 + 8 * Self.minute)
    }

    @Test func reloadedGroupsDoNotRestoreAgain() throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = Self.storeWithTargetDown()
        let manager = try Self.manager(store: store, folder: folder, restore: true)
        manager.evaluate(at: Self.t0)
        try manager.update(files: [folder.appendingPathComponent("r.yml").path], at: Self.t0 + Self.minute).get()
        manager.evaluate(at: Self.t0 + Self.minute)
        let written = store.select([try LabelMatcher(.equal, "__name__", "ALERTS")], mint: 0, maxt: .max)
        #expect(written.flatMap(\.samples).map(\.timestamp) == [Self.t0 + Self.minute])
        #expect(manager.alerts.first?.activeAt == Self.t0)
    }
}
