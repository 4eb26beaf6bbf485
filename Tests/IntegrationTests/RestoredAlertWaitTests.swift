import Alerts
import Foundation
import PromQL
import Testing
import TestSupport
import TimeSeries
@testable import kafka_health_monitor

/// How long a restart waits before alerts restored from the notification log count as
/// resolved: the rules' longest `for` (capped at the 10-minute grace period), two of the
/// slowest group's intervals, and a minute.
struct RestoredAlertWaitTests {
    static func groups(_ yaml: String, defaultInterval: Int64 = 30_000) throws -> [RuleGroup] {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("r.yml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let store = Store()
        let manager = RuleManager(options: RuleGroup.Options(query: EngineQuery.function(engine: Engine(), querier: store),
                                                             appender: store),
                                  defaultInterval: defaultInterval)
        try manager.update(files: [file.path], at: 0).get()
        return manager.groups
    }

    @Test func theShippedRulesWaitFourMinutesAtThirtySeconds() throws {
        let yaml = try String(contentsOfFile: TestPaths.packageRoot.appendingPathComponent("rules/kafka-ha.rules.yml").path,
                              encoding: .utf8)
        // Longest `for` 2m, plus two 30 s intervals, plus a minute.
        #expect(RestoredAlertWait.seconds(for: try Self.groups(yaml)) == 240)
    }

    @Test func longForIsCappedAtTheGracePeriodAndSlowGroupsCount() throws {
        let yaml = """
            groups:
              - name: fast
                rules:
                  - alert: Slow
                    expr: vector(1)
                    for: 2h
              - name: slow
                interval: 5m
                rules:
                  - alert: Quick
                    expr: vector(1)
            """
        // min(2h, 10m) + 2 × 5m + 1m.
        #expect(RestoredAlertWait.seconds(for: try Self.groups(yaml)) == 21 * 60)
    }

    @Test func noRulesStillWaitForTheFirstCollection() throws {
        #expect(RestoredAlertWait.seconds(for: []) == 60)
    }
}
