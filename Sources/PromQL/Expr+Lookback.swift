/// How far back in time an expression reads, so a store's retention can be checked
/// against the rules it serves.
extension Expr {
    /// The longest span before an evaluation time that evaluating this expression reads:
    /// ranges, offsets and subquery windows added up along each path, plus `lookbackDelta`
    /// for every instant selector (matching `SelectorPlan`).
    public func maxLookback(lookbackDelta: Int64 = 300_000) -> Int64 {
        switch self {
        case .number, .string: return 0
        case .vector(let selector): return Swift.max(0, selector.offset &+ lookbackDelta)
        case .matrix(let selector, let range): return Swift.max(0, selector.offset &+ range)
        case .subquery(let subquery):
            return Swift.max(0, subquery.offset &+ subquery.range &+ subquery.expr.maxLookback(lookbackDelta: lookbackDelta))
        case .paren(let inner), .unary(_, let inner): return inner.maxLookback(lookbackDelta: lookbackDelta)
        case .binary(let binary):
            return Swift.max(binary.lhs.maxLookback(lookbackDelta: lookbackDelta), binary.rhs.maxLookback(lookbackDelta: lookbackDelta))
        case .aggregate(let aggregation):
            return Swift.max(aggregation.expr.maxLookback(lookbackDelta: lookbackDelta),
                             aggregation.param?.maxLookback(lookbackDelta: lookbackDelta) ?? 0)
        case .call(let call):
            return call.args.map { $0.maxLookback(lookbackDelta: lookbackDelta) }.max() ?? 0
        }
    }
}
