import PromQL
import Testing
import TimeSeries
@testable import Alerts

@Suite struct RecordingRuleTests {
    static func rule(labels: [String: String] = [:]) throws -> RecordingRule {
        RecordingRule(RuleDefinition(kind: .record("job:x:sum"), expr: try PromQLParser.parse("x"), exprText: "x",
                                     forDuration: 0, keepFiringFor: 0, labels: labels, annotations: [:],
                                     position: SourcePosition(line: 1, column: 1)))
    }

    @Test func renamesTheResultAndSetsItsLabels() throws {
        var rule = try Self.rule(labels: ["source": "rule"])
        let query: QueryFunc = { _, t in [VectorElement(labels: ["__name__": "x", "job": "a"], value: 3, timestamp: t)] }
        let out = try rule.eval(at: 5, query: query, context: RuleEvaluationContext())
        #expect(out == [VectorElement(labels: ["__name__": "job:x:sum", "job": "a", "source": "rule"], value: 3, timestamp: 5)])
    }

    @Test func duplicateOutputSeriesAreAnError() throws {
        var rule = try Self.rule(labels: ["job": "same"])
        let query: QueryFunc = { _, t in
            [VectorElement(labels: ["job": "a"], value: 1, timestamp: t), VectorElement(labels: ["job": "b"], value: 2, timestamp: t)]
        }
        #expect(throws: RuleEvaluationError.self) { _ = try rule.eval(at: 0, query: query, context: RuleEvaluationContext()) }
    }
}
