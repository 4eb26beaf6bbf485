import TimeSeries

/// One evaluation: the engine's settings and the selectors' preloaded data. The `eval`
/// switch dispatches each AST case to one helper.
struct Evaluator {
    let lookbackDelta: Int64
    let defaultStep: Int64
    let data: SelectorData
    /// What `@ start()` and `@ end()` mean in this query.
    let anchors: AtAnchors
    /// The querier, when it can hand over one series at a time: range functions evaluated
    /// once then read their windows without materialising every series.
    let streamer: (any SeriesStreaming)?
    let budget = StepBudget(limit: Engine.maxSubquerySteps)

    init(engine: Engine, expr: Expr, start: Int64, end: Int64, querier: any Querier) {
        lookbackDelta = engine.lookbackDelta
        defaultStep = engine.defaultSubqueryStep
        streamer = querier as? any SeriesStreaming
        anchors = AtAnchors(queryStart: start, queryEnd: end)
        var plan = SelectorPlan(lookbackDelta: lookbackDelta, defaultStep: defaultStep, streams: streamer != nil,
                                anchors: anchors)
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
