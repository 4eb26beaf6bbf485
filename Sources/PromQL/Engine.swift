import TimeSeries

/// Evaluates PromQL expressions over a `Querier`, with Prometheus 2.42's semantics: a lookback
/// window for instant selectors, windows closed on both ends (`[t-range, t]`), staleness
/// markers ending a series, and `rate()`'s extrapolation.
public struct Engine: Sendable {
    /// How far back an instant selector looks for a sample (Prometheus's default: 5 minutes).
    public let lookbackDelta: Int64
    /// The step of subqueries that give none (`x[5m:]`): the rule group's evaluation interval.
    public let defaultSubqueryStep: Int64

    /// Prometheus's limit on the steps of a range query.
    static let maxResolution: Int64 = 11_000
    /// The most inner evaluations subqueries may run in one query, so that an expression
    /// like `x[1y:1s]` fails instead of hanging (Prometheus fails it on its sample limit).
    static let maxSubquerySteps = 5_000_000

    /// An engine with Prometheus's defaults: 5-minute lookback, 1-minute subquery step.
    public init(lookbackDelta: Int64 = 300_000, defaultSubqueryStep: Int64 = 60_000) {
        self.lookbackDelta = lookbackDelta
        self.defaultSubqueryStep = defaultSubqueryStep
    }

    /// Evaluates `expr` at `time` (milliseconds). Each selector reads the querier once.
    public func instant(_ expr: Expr, at time: Int64, querier: any Querier) throws -> Value {
        let evaluator = Evaluator(engine: self, expr: expr, start: time, end: time, querier: querier)
        switch try evaluator.eval(expr, at: time) {
        case .scalar(let value): return .scalar(value, timestamp: time)
        case .string(let value): return .string(value, timestamp: time)
        case .vector(let elements): return .vector(elements)
        case .matrix(let windows): return .matrix(windows.map { Series(labels: $0.labels, samples: Array($0.samples)) })
        }
    }

    /// Evaluates `expr` at `start`, `start + step`, … up to `end`; returns `.matrix` with one
    /// series per label set, sorted by labels (a scalar becomes a series without labels).
    public func range(_ expr: Expr, start: Int64, end: Int64, step: Int64, querier: any Querier) throws -> Value {
        guard expr.type == .scalar || expr.type == .vector else {
            throw EvalError("invalid expression type \"\(expr.type)\" for range query, must be Scalar or instant Vector")
        }
        guard step > 0 else { throw EvalError("zero or negative query resolution step widths are not accepted") }
        guard end >= start else { throw EvalError("end timestamp must not be before start time") }
        guard (end - start) / step < Engine.maxResolution else {
            throw EvalError("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        let evaluator = Evaluator(engine: self, expr: expr, start: start, end: end, querier: querier)
        var series = SeriesAccumulator()
        var time = start
        while time <= end {
            switch try evaluator.eval(expr, at: time) {
            case .scalar(let value): series.add(Labels(), Sample(time, value))
            case .vector(let elements): for element in elements { series.add(element.labels, Sample(time, element.value)) }
            default: break
            }
            time += step
        }
        return .matrix(series.sorted)
    }
}
