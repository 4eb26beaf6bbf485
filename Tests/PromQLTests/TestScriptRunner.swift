import Foundation
import TimeSeries
@testable import PromQL

/// Runs a `TestScript` against a fresh `Store` and the engine; returns one message per
/// failed evaluation.
struct TestScriptRunner {
    let name: String

    func run(_ script: TestScript) -> [String] {
        var store = Store(retention: .max / 4)
        var failures: [String] = []
        for command in script.commands {
            switch command {
            case .clear: store = Store(retention: .max / 4)
            case .load(let interval, let series, _):
                for (labels, values) in series {
                    for (step, value) in values.enumerated() {
                        if let value { store.append(labels, Sample(Int64(step) * interval, value)) }
                    }
                }
            case .eval(let evaluation):
                if let failure = check(evaluation, store) { failures.append("\(name):\(evaluation.line): \(failure)") }
            }
        }
        return failures
    }

    private func check(_ evaluation: TestScript.Evaluation, _ store: Store) -> String? {
        let engine = Engine()
        let outcome: Swift.Result<Value, Error> = Swift.Result {
            let expr = try PromQLParser.parse(evaluation.expr)
            if let end = evaluation.rangeEnd {
                return try engine.range(expr, start: evaluation.time, end: end, step: evaluation.step, querier: store)
            }
            return try engine.instant(expr, at: evaluation.time, querier: store)
        }
        switch (outcome, evaluation.expectFail) {
        case (.failure, true): return nil
        case (.success(let value), true): return "expected failure of \(evaluation.expr), got \(render(value))"
        case (.failure(let error), false): return "\(evaluation.expr): unexpected error: \(error)"
        case (.success(let value), false): return compare(value, evaluation)
        }
    }

    private func compare(_ value: Value, _ evaluation: TestScript.Evaluation) -> String? {
        var got: [(labels: Labels, values: [Double?], isScalar: Bool)] = []
        switch value {
        case .scalar(let scalar, _): got = [(Labels(), [scalar], true)]
        case .string: return "\(evaluation.expr): unexpected string result"
        case .vector(let elements): got = elements.map { ($0.labels, [$0.value], false) }
        case .matrix(let series):
            got = series.map { series in (series.labels, Self.expand(series.samples, evaluation), false) }
        }
        let expected = evaluation.expected
        var mismatch = got.count != expected.count
        if !mismatch {
            let pairs = evaluation.ordered ? Array(zip(got, expected)) : Array(zip(got.sorted { $0.labels < $1.labels },
                                                                                   expected.sorted { $0.labels < $1.labels }))
            mismatch = pairs.contains { a, b in
                a.labels != b.labels || a.values.count != b.values.count
                    || zip(a.values, b.values).contains { !Self.almostEqual($0, $1) }
            }
        }
        guard mismatch else { return nil }
        return "\(evaluation.expr):\n  expected: \(expected.map(describe))\n  got:      \(got.map(describe))"
    }

    /// A range result's samples laid out on the evaluation steps, nil where missing.
    private static func expand(_ samples: [Sample], _ evaluation: TestScript.Evaluation) -> [Double?] {
        guard let end = evaluation.rangeEnd else { return samples.map(\.value) }
        var out: [Double?] = []
        var time = evaluation.time
        while time <= end {
            out.append(samples.first { $0.timestamp == time }?.value)
            time += evaluation.step
        }
        while out.last == .some(nil) { out.removeLast() }
        return out
    }

    /// promqltest's comparison: equal, both NaN, or within a relative 1e-6.
    static func almostEqual(_ a: Double?, _ b: Double?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        if a.isNaN && b.isNaN { return true }
        if a == b { return true }
        let difference = (a - b).magnitude
        if a == 0 || b == 0 || difference < Double.leastNormalMagnitude {
            return difference < 1e-6 * Double.leastNormalMagnitude
        }
        return difference / (a.magnitude + b.magnitude) < 1e-6
    }

    private func describe(_ entry: (labels: Labels, values: [Double?], isScalar: Bool)) -> String {
        let values = entry.values.map { $0.map(FloatFormat.shortest) ?? "_" }.joined(separator: " ")
        return entry.isScalar ? values : "\(entry.labels) \(values)"
    }

    private func render(_ value: Value) -> String {
        switch value {
        case .scalar(let scalar, _): FloatFormat.shortest(scalar)
        case .string(let string, _): string
        case .vector(let elements): elements.map { "\($0.labels) \(FloatFormat.shortest($0.value))" }.joined(separator: ", ")
        case .matrix(let series): series.map { "\($0.labels)" }.joined(separator: ", ")
        }
    }
}
