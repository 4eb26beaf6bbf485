import PromQL
import Testing
import TimeSeries
@testable import Alerts

/// The alert state machine, driven minute by minute with a scripted query result.
@Suite struct AlertingRuleTests {
    static let minute: Int64 = 60_000

    static func rule(for hold: Int64 = 0, keepFiringFor: Int64 = 0, labels: [String: String] = [:],
                     annotations: [String: String] = [:]) throws -> AlertingRule {
        AlertingRule(RuleDefinition(kind: .alert("Test"), expr: try PromQLParser.parse("x"), exprText: "x",
                                    forDuration: hold, keepFiringFor: keepFiringFor, labels: labels,
                                    annotations: annotations, position: SourcePosition(line: 1, column: 1)))
    }

    /// A query returning `x{i="1"}` with value 7 at the given minutes, nothing otherwise.
    static func query(presentAt minutes: Set<Int64>) -> QueryFunc {
        { _, timestamp in
            minutes.contains(timestamp / minute)
                ? [VectorElement(labels: ["__name__": "x", "i": "1"], value: 7, timestamp: timestamp)] : []
        }
    }

    /// The alert's state after each minute's evaluation ("-" when there is no alert).
    static func states(_ rule: inout AlertingRule, presentAt minutes: Set<Int64>, through last: Int64) throws -> [String] {
        var out: [String] = []
        for m in 0...last {
            _ = try rule.eval(at: m * minute, query: query(presentAt: minutes), context: RuleEvaluationContext())
            out.append(rule.alerts.first?.state.rawValue ?? "-")
        }
        return out
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let hold: Int64
        let keep: Int64
        let present: Set<Int64>
        let last: Int64
        let expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no for: fires at once, resolves when gone", hold: 0, keep: 0, present: [1, 2], last: 4,
             expected: ["-", "firing", "firing", "inactive", "inactive"]),
        Case(name: "for 2m: pending until it held 2 minutes", hold: 2, keep: 0, present: [0, 1, 2, 3], last: 4,
             expected: ["pending", "pending", "firing", "firing", "inactive"]),
        Case(name: "a pending alert that goes away is dropped", hold: 3, keep: 0, present: [0, 1], last: 3,
             expected: ["pending", "pending", "-", "-"]),
        Case(name: "keep_firing_for holds a firing alert after it stops", hold: 0, keep: 2, present: [0], last: 4,
             expected: ["firing", "firing", "firing", "inactive", "inactive"]),
        Case(name: "a resolved alert that returns is pending again", hold: 1, keep: 0, present: [0, 1, 3, 4], last: 4,
             expected: ["pending", "firing", "inactive", "pending", "firing"]),
        Case(name: "resolved alerts are kept 15 minutes, then dropped", hold: 0, keep: 0, present: [0], last: 17,
             expected: ["firing"] + Array(repeating: "inactive", count: 16) + ["-"]),
    ]

    @Test(arguments: cases)
    func stateMachine(_ testCase: Case) throws {
        var rule = try Self.rule(for: testCase.hold * Self.minute, keepFiringFor: testCase.keep * Self.minute)
        #expect(try Self.states(&rule, presentAt: testCase.present, through: testCase.last) == testCase.expected)
    }

    @Test func writesAlertsAndForStateSeriesForPendingAndFiring() throws {
        var rule = try Self.rule(for: 2 * Self.minute, labels: ["severity": "page"])
        let query = Self.query(presentAt: [1, 2, 3])
        let pending = try rule.eval(at: 1 * Self.minute, query: query, context: RuleEvaluationContext())
        #expect(pending.map(\.labels.description) == [
            #"ALERTS{alertname="Test", alertstate="pending", i="1", severity="page"}"#,
            #"ALERTS_FOR_STATE{alertname="Test", i="1", severity="page"}"#,
        ])
        #expect(pending.map(\.value) == [1, 60])
        let firing = try rule.eval(at: 3 * Self.minute, query: query, context: RuleEvaluationContext())
        #expect(firing[0].labels["alertstate"] == "firing")
        #expect(firing[1].value == 60, "ALERTS_FOR_STATE keeps the activeAt in seconds")
        #expect(rule.alerts.first?.firedAt == 3 * Self.minute)
    }

    @Test func templatesSeeLabelsValueAndExternalLabels() throws {
        var rule = try Self.rule(labels: ["team": "{{ $externalLabels.team }}"],
                                 annotations: ["summary": "{{ $labels.i }} is {{ $value | humanize }}"])
        _ = try rule.eval(at: 0, query: Self.query(presentAt: [0]),
                          context: RuleEvaluationContext(externalLabels: ["team": "kafka"]))
        let alert = try #require(rule.alerts.first)
        #expect(alert.labels == ["alertname": "Test", "i": "1", "team": "kafka"])
        #expect(alert.annotations == ["summary": "1 is 7"])
    }

    @Test func theLimitDropsEveryAlertAndFails() throws {
        var rule = try Self.rule()
        let two: QueryFunc = { _, t in
            [VectorElement(labels: ["i": "1"], value: 1, timestamp: t), VectorElement(labels: ["i": "2"], value: 1, timestamp: t)]
        }
        #expect(throws: RuleEvaluationError.self) { _ = try rule.eval(at: 0, query: two, context: RuleEvaluationContext(limit: 1)) }
        #expect(rule.alerts.isEmpty)
    }

    @Test func notificationsRepeatFiringAlertsEveryResendDelayAndSendResolvedOnce() throws {
        var rule = try Self.rule()
        let query = Self.query(presentAt: [0, 1, 2, 3])
        var sentAt: [Int64: [AlertState]] = [:]
        for m: Int64 in 0...6 {
            _ = try rule.eval(at: m * Self.minute, query: query, context: RuleEvaluationContext())
            let due = rule.alertsToSend(at: m * Self.minute, resendDelay: 2 * Self.minute, interval: Self.minute)
            if !due.isEmpty { sentAt[m] = due.map(\.state) }
        }
        // Sent when it fires (0), again once the 2-minute resend delay has passed (3),
        // and when it resolves (4); then never again.
        #expect(sentAt == [0: [.firing], 3: [.firing], 4: [.inactive]])
    }
}
