import Foundation
import Synchronization
import PromQL
import Testing
import TestSupport
import TimeSeries
@testable import Alerts

/// The manager over a real store and engine: groups write back, alerts reach the notify
/// function, reloads keep alert state, and removed groups' series go stale.
@Suite struct RuleManagerTests {
    static let minute: Int64 = 60_000

    final class Sent: Sendable {
        let alerts = Mutex<[Alert]>([])
    }

    static func write(_ text: String, in folder: URL, as name: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let rules = """
        groups:
          - name: kafka
            interval: 1m
            rules:
              - alert: BrokerOffline
                expr: kafka_broker_online == 0
                for: 1m
              - record: brokers:online
                expr: sum(kafka_broker_online)
        """

    @Test func evaluatesWritesBackNotifiesAndKeepsStateAcrossReload() throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.write(Self.rules, in: folder, as: "a.rules.yml")
        let store = Store()
        let sent = Sent()
        let manager = RuleManager(options: RuleGroup.Options(
            query: EngineQuery.function(engine: Engine(), querier: store), appender: store,
            notify: { alerts in sent.alerts.withLock { $0 += alerts } }))
        try manager.update(files: [file], at: 0).get()
        for m: Int64 in 0...3 {
            store.append(["__name__": "kafka_broker_online", "broker_id": "1"], Sample(m * Self.minute, m >= 1 ? 0 : 1))
            store.append(["__name__": "kafka_broker_online", "broker_id": "2"], Sample(m * Self.minute, 1))
            #expect(manager.evaluateDue(at: m * Self.minute + 5_000) == 1)
        }
        #expect(manager.evaluateDue(at: 3 * Self.minute + 10_000) == 0, "an evaluation runs once per interval")
        #expect(manager.alerts.map(\.state) == [.firing])
        #expect(sent.alerts.withLock { $0.map(\.state) } == [.firing])
        let recorded = store.select([try LabelMatcher(.equal, "__name__", "brokers:online")], mint: 0, maxt: .max)
        #expect(recorded.first?.samples.map(\.value) == [2, 1, 1, 1])

        // Reload with one more group: the alert stays firing with its activeAt.
        _ = try Self.write(Self.rules + "\n  - name: extra\n    rules: []\n", in: folder, as: "a.rules.yml")
        try manager.update(files: [file], at: 4 * Self.minute).get()
        #expect(manager.groups.map(\.name) == ["kafka", "extra"])
        #expect(manager.alerts.first?.activeAt == Self.minute)

        // A broken file changes nothing and says why.
        _ = try Self.write("groups: [", in: folder, as: "a.rules.yml")
        guard case .failure(let errors) = manager.update(files: [file], at: 5 * Self.minute) else {
            Issue.record("a broken file loaded")
            return
        }
        #expect(errors.errors.first?.position != nil)
        #expect(manager.groups.count == 2)

        // Removing the group marks its series stale.
        _ = try Self.write("groups: []\n", in: folder, as: "a.rules.yml")
        try manager.update(files: [file], at: 5 * Self.minute).get()
        let alerts = store.select([try LabelMatcher(.equal, "__name__", "ALERTS")], mint: 0, maxt: .max)
        #expect(alerts.allSatisfy { StaleMarker.isStale($0.samples.last!.value) })
        #expect(manager.groups.isEmpty)
    }

    @Test func aFailingRuleIsCountedAndDoesNotStopTheGroup() throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.write("""
            groups:
              - name: g
                rules:
                  - record: broken
                    expr: x + ignoring(a) x
                  - record: fine
                    expr: vector(1)
            """, in: folder, as: "r.yml")
        let store = Store()
        store.append(["__name__": "x", "a": "1", "b": "1"], Sample(0, 1))
        store.append(["__name__": "x", "a": "2", "b": "1"], Sample(0, 1))
        let manager = RuleManager(options: RuleGroup.Options(query: EngineQuery.function(engine: Engine(), querier: store), appender: store))
        try manager.update(files: [file], at: 0).get()
        manager.evaluate(at: 0)
        let status = try #require(manager.groups.first?.status)
        #expect(status.failures == 1)
        #expect(status.rules.map(\.health) == [.err, .ok])
        #expect(status.rules[0].lastError != nil)
        let metrics = Dictionary(uniqueKeysWithValues: manager.metricSamples.map { ($0.0.name ?? "", $0) })
        #expect(metrics["kafka_health_monitor_rule_evaluation_failures_total"]?.1 == 1)
        #expect(metrics["kafka_health_monitor_rule_evaluation_failures_total"]?.0["rule_group"] == file + ";g")
        #expect((metrics["kafka_health_monitor_rule_group_last_duration_seconds"]?.1 ?? -1) >= 0)
        #expect(!store.select([try LabelMatcher(.equal, "__name__", "fine")], mint: 0, maxt: 0).isEmpty)
    }
}

/// The manager's run loop evaluates due groups on its tick until cancelled.
@Suite struct RuleManagerRunLoopTests {
    final class FakeClock: Sendable {
        let now = Mutex<Int64>(0)
        func advance() -> Int64 { now.withLock { $0 += 30_000; return $0 } }
    }

    @Test(.timeLimit(.minutes(1)))
    func runEvaluatesOnEveryDueTickAndStopsWhenCancelled() async throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try RuleManagerTests.write("groups:\n  - name: g\n    interval: 1m\n    rules:\n      - record: one\n        expr: vector(1)\n",
                                              in: folder, as: "r.yml")
        let store = Store()
        let manager = RuleManager(options: RuleGroup.Options(query: EngineQuery.function(engine: Engine(), querier: store), appender: store))
        try manager.update(files: [file], at: 0).get()
        let clock = FakeClock()
        let loop = Task { await manager.run(tick: .milliseconds(1), now: { clock.advance() }) }
        while (manager.groups.first?.status.evaluations ?? 0) < 5 { try await Task.sleep(for: .milliseconds(5)) }
        loop.cancel()
        await loop.value
        // Time advances 30 s per tick and the group runs once per minute, on minute boundaries.
        let samples = store.select([try LabelMatcher(.equal, "__name__", "one")], mint: 0, maxt: .max).first?.samples ?? []
        #expect(samples.count >= 5)
        #expect(samples.allSatisfy { $0.timestamp % 60_000 == 0 })
        #expect(Set(samples.map(\.timestamp)).count == samples.count)
    }

    /// A timer and a "collection stored" signal may ask for the same due timestamp at once:
    /// it is evaluated once, whatever the interleaving.
    @Test func concurrentCallersEvaluateADueTimestampOnce() async throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try RuleManagerTests.write("groups:\n  - name: g\n    interval: 1m\n    rules:\n      - record: one\n        expr: vector(1)\n",
                                              in: folder, as: "r.yml")
        let store = Store()
        // A query that takes a moment, so that the callers overlap inside an evaluation.
        let query = EngineQuery.function(engine: Engine(), querier: store)
        let slowQuery: QueryFunc = { expr, timestamp in
            Thread.sleep(forTimeInterval: 0.005)
            return try query(expr, timestamp)
        }
        let manager = RuleManager(options: RuleGroup.Options(query: slowQuery, appender: store))
        try manager.update(files: [file], at: 0).get()
        for minute: Int64 in 1...20 {
            // Four threads at once (off the cooperative pool, which may have only two).
            let ran = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await Blocking.run { manager.evaluateDue(at: minute * RuleManagerTests.minute + 1) } }
                }
                return try await group.reduce(0, +)
            }
            #expect(ran == 1, "minute \(minute) evaluated \(ran) times")
        }
        #expect(manager.groups.first?.status.evaluations == 20)
    }
}

/// The notify function may look at the manager while it is being called.
@Suite struct RuleGroupNotifyTests {
    @Test(.timeLimit(.minutes(1)))
    func notifyMayReadTheManagerWithoutDeadlock() throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try RuleManagerTests.write("groups:\n  - name: g\n    rules:\n      - alert: Always\n        expr: vector(1)\n",
                                              in: folder, as: "r.yml")
        let store = Store()
        let seen = Mutex<[String]>([])
        let managerBox = Mutex<RuleManager?>(nil)
        let manager = RuleManager(options: RuleGroup.Options(
            query: EngineQuery.function(engine: Engine(), querier: store), appender: store,
            notify: { alerts in
                let states = managerBox.withLock { $0 }?.alerts.map(\.state.rawValue) ?? []
                seen.withLock { $0 += states + alerts.map(\.expression) }
            }))
        managerBox.withLock { $0 = manager }
        try manager.update(files: [file], at: 0).get()
        manager.evaluate(at: 0)
        #expect(seen.withLock { $0 } == ["firing", "vector(1)"])
    }
}
