import PromQL
import TimeSeries

extension RuleTestGroupRun {
    /// Compares the firing alerts of each alert test at `time` with the expected ones.
    func checkAlerts(at time: Int64, groups: [RuleGroup]) -> [String] {
        var failures: [String] = []
        for test in group.alertTests where test.evalTime == time {
            var got: [ExpectedAlert] = []
            for ruleGroup in groups {
                for rule in ruleGroup.alertingRules where rule.name == test.alertname {
                    got += rule.alerts.filter { $0.state == .firing }.map { ExpectedAlert(labels: $0.labels, annotations: $0.annotations) }
                }
            }
            let expected = test.expected.map { entry in
                ExpectedAlert(labels: Labels(entry.labels).setting("alertname", to: test.alertname), annotations: entry.annotations)
            }
            let sortedGot = got.sorted { $0.labels < $1.labels }, sortedExpected = expected.sorted { $0.labels < $1.labels }
            if sortedGot != sortedExpected {
                let name = group.name.isEmpty ? "" : "    name: \(group.name),\n"
                failures.append("\(name)    alertname: \(test.alertname), time: \(PromDuration.format(test.evalTime)), \n"
                    + "        exp:\(ExpectedAlert.describe(sortedExpected)), \n        got:\(ExpectedAlert.describe(sortedGot))")
            }
        }
        return failures
    }

    /// Runs one expression test and compares its samples exactly.
    func checkExpression(_ test: ExprTestCase, query: QueryFunc) -> [String] {
        let header = "    expr: \(Self.goQuote(test.expr)), time: \(PromDuration.format(test.evalTime))"
        let got: [VectorElement]
        do {
            let expr: Expr
            do { expr = try PromQLParser.parse(test.expr) } catch {
                return [header + ", err: \(error.line):\(error.column): parse error: \(error.message)"]
            }
            got = try query(expr, test.evalTime)
        } catch {
            return [header + ", err: \(error)"]
        }
        var expected: [(Labels, Double)] = []
        for sample in test.expected {
            do { expected.append((try SeriesDescription.parse(sample.labels), sample.value)) } catch {
                return [header + ", err: labels \"\(sample.labels)\": \(error)"]
            }
        }
        let gotSamples = got.map { ($0.labels, $0.value) }.sorted { $0.0 < $1.0 }
        let expSamples = expected.sorted { $0.0 < $1.0 }
        let equal = gotSamples.count == expSamples.count
            && zip(gotSamples, expSamples).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        if equal { return [] }
        return [header + ",\n        exp: \(Self.describe(expSamples))\n        got: \(Self.describe(gotSamples))"]
    }

    /// Go's `%q` for the printable text of an expression.
    static func goQuote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "\""
    }

    /// promtool's `parsedSamplesString`: `{labels} 1E+00, …`, or `nil` for none.
    static func describe(_ samples: [(Labels, Double)]) -> String {
        if samples.isEmpty { return "nil" }
        return samples.map { ExpectedAlert.goLabels($0.0) + " " + GoFormat.upperE($0.1) }.joined(separator: ", ")
    }
}

/// An alert as the unit tests compare it: labels and annotations only.
struct ExpectedAlert: Equatable {
    let labels: Labels
    let annotations: [String: String]

    /// promtool's `labelsAndAnnotations.String()`.
    static func describe(_ alerts: [ExpectedAlert]) -> String {
        if alerts.isEmpty { return "[]" }
        var out = "[\n"
        for (index, alert) in alerts.enumerated() {
            if index > 0 { out += ",\n" }
            out += "\(index):\n  Labels:\(goLabels(alert.labels))\n  Annotations:\(goLabels(Labels(alert.annotations.map { ($0.key, $0.value) })))"
        }
        return (out + "\n]").split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { $0.offset == 0 ? String($0.element) : "            " + $0.element }.joined(separator: "\n")
    }

    /// Go's `labels.Labels.String()`: `{a="1", b="2"}`, the metric name included.
    static func goLabels(_ labels: Labels) -> String {
        "{" + labels.map { "\($0.name)=\"\(Labels.escape($0.value))\"" }.joined(separator: ", ") + "}"
    }
}
