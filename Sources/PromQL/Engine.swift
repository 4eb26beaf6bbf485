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

/// Counts subquery steps across one query (shared by the evaluator's copies).
final class StepBudget {
    private var remaining: Int

    init(limit: Int) {
        remaining = limit
    }

    func spend(_ steps: Int) throws(EvalError) {
        remaining -= steps
        if remaining < 0 { throw EvalError("query processing would load too many samples into memory in query execution") }
    }
}

/// Collects samples per label set across evaluation steps.
struct SeriesAccumulator {
    private var index: [Labels: Int] = [:]
    private var labels: [Labels] = []
    private var samples: [[Sample]] = []

    mutating func add(_ series: Labels, _ sample: Sample) {
        if let position = index[series] {
            samples[position].append(sample)
        } else {
            index[series] = labels.count
            labels.append(series)
            samples.append([sample])
        }
    }

    /// The series sorted by labels.
    var sorted: [Series] {
        zip(labels, samples).map { Series(labels: $0, samples: $1) }.sorted { $0.labels < $1.labels }
    }
}

/// One evaluation: the engine's settings and the selectors' preloaded data. The `eval`
/// switch dispatches each AST case to one helper.
struct Evaluator {
    let lookbackDelta: Int64
    let defaultStep: Int64
    let data: SelectorData
    let budget = StepBudget(limit: Engine.maxSubquerySteps)

    init(engine: Engine, expr: Expr, start: Int64, end: Int64, querier: any Querier) {
        lookbackDelta = engine.lookbackDelta
        defaultStep = engine.defaultSubqueryStep
        var plan = SelectorPlan(lookbackDelta: lookbackDelta, defaultStep: defaultStep)
        plan.visit(expr, start: start, end: end)
        data = plan.load(from: querier)
    }

    func eval(_ expr: Expr, at time: Int64) throws(EvalError) -> Result {
        switch expr {
        case .number(let value): return .scalar(value)
        case .string(let value): return .string(value)
        case .vector(let selector): return .vector(instantSelector(selector, at: time))
        case .matrix(let selector, let range): return .matrix(rangeSelector(selector, range: range, at: time))
        case .subquery(let subquery): return .matrix(try evalSubquery(subquery, at: time))
        case .paren(let inner): return try eval(inner, at: time)
        case .unary(let negate, let inner): return try evalUnary(negate: negate, inner, at: time)
        case .binary(let binary): return try evalBinary(binary, at: time)
        case .aggregate(let aggregation): return try evalAggregation(aggregation, at: time)
        case .call(let call): return try evalCall(call, at: time)
        }
    }

    func evalUnary(negate: Bool, _ inner: Expr, at time: Int64) throws(EvalError) -> Result {
        let value = try eval(inner, at: time)
        guard negate else { return value }
        switch value {
        case .scalar(let scalar): return .scalar(-scalar)
        case .vector(let elements):
            var out = dropMetricNames(elements)
            for index in out.indices { out[index].value = -out[index].value }
            try ensureUniqueAfterDroppingNames(elements, out)
            return .vector(out)
        default: return value
        }
    }

    /// A vector's value at `time`, for arguments that the parser guarantees to be vectors.
    func vector(_ expr: Expr, at time: Int64) throws(EvalError) -> [VectorElement] {
        if case .vector(let elements) = try eval(expr, at: time) { return elements }
        return []
    }

    func scalar(_ expr: Expr, at time: Int64) throws(EvalError) -> Double {
        if case .scalar(let value) = try eval(expr, at: time) { return value }
        return .nan
    }

    func matrix(_ expr: Expr, at time: Int64) throws(EvalError) -> [Window] {
        if case .matrix(let windows) = try eval(expr, at: time) { return windows }
        return []
    }
}
