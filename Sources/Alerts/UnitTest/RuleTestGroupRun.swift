import Foundation
import PromQL
import TimeSeries

/// One `tests:` entry being run: its store, its rule groups, its evaluation loop.
struct RuleTestGroupRun {
    let group: RuleTestGroup
    let file: RuleTestFile
    let ruleFiles: [String]
    let engine: Engine
    let store = Store(retention: 1 << 50)

    /// Runs the test group and returns its failure messages (empty when it passes).
    mutating func run() -> [String] {
        if let failure = loadInputSeries() { return [failure] }
        let query = EngineQuery.function(engine: engine, querier: store)
        let options = RuleGroup.Options(query: query, appender: store, externalLabels: group.externalLabels,
                                        externalURL: group.externalURL)
        let groups: [RuleGroup]
        switch RuleManager.loadGroups(files: ruleFiles, defaultInterval: group.interval ?? file.evaluationInterval, options: options) {
        case .failure(let errors): return errors.errors.map(\.description)
        case .success(let loaded): groups = ordered(loaded)
        }
        for test in group.alertTests where test.alertname.isEmpty {
            let inGroup = group.name.isEmpty ? "" : " (in TestGroup \(group.name))"
            return ["an item under alert_rule_test misses required attribute alertname at eval_time \(PromDuration.format(test.evalTime))\(inGroup)"]
        }
        var failures: [String] = []
        let alertTimes = Set(group.alertTests.map(\.evalTime)).sorted()
        var next = 0
        let maxTime = (group.alertTests.map(\.evalTime) + group.exprTests.map(\.evalTime)).max() ?? 0
        var timestamp: Int64 = 0
        while timestamp <= maxTime {
            var evalErrors: [String] = []
            for ruleGroup in groups {
                ruleGroup.evaluate(at: timestamp)
                for rule in ruleGroup.status.rules {
                    if let error = rule.lastError {
                        evalErrors.append("    rule: \(rule.name), time: \(PromDuration.goFormat(timestamp)), err: \(error)")
                    }
                }
            }
            failures += evalErrors
            if !evalErrors.isEmpty { return failures }
            while next < alertTimes.count, alertTimes[next] >= timestamp, alertTimes[next] < timestamp + file.evaluationInterval {
                failures += checkAlerts(at: alertTimes[next], groups: groups)
                next += 1
            }
            timestamp += file.evaluationInterval
        }
        for test in group.exprTests { failures += checkExpression(test, query: query) }
        return failures
    }

    /// Loads `input_series` into the store; returns a message when one does not parse.
    private func loadInputSeries() -> String? {
        let step = group.interval ?? file.evaluationInterval
        for (series, values) in group.inputSeries {
            let labels: Labels
            let steps: [SeriesValues.Step]
            do {
                labels = try SeriesDescription.parse(series)
                steps = try SeriesValues.expand(values)
            } catch {
                return "    series: \(series), err: \(error)"
            }
            for (index, entry) in steps.enumerated() {
                if case .value(let value) = entry { store.append(labels, Sample(Int64(index) * step, value)) }
            }
        }
        return nil
    }

    /// The groups in `group_eval_order` (unlisted ones first, in file order).
    private func ordered(_ groups: [RuleGroup]) -> [RuleGroup] {
        let order = Dictionary(file.groupEvalOrder.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        return groups.enumerated().sorted { a, b in
            let (x, y) = (order[a.element.name] ?? 0, order[b.element.name] ?? 0)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }
}
