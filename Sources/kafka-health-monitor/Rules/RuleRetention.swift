import Alerts
import PromQL

/// How much history rules need from the store: the longest range window (with its offset)
/// of any expression, or the longest `for` / `keep_firing_for`, plus the engine's 5-minute
/// lookback. The store's retention is raised to at least this.
enum RuleRetention {
    /// The milliseconds of history `groups` read, including the instant-selector lookback.
    static func required(by groups: [RuleGroup], lookback: Int64 = Engine().lookbackDelta) -> Int64 {
        var longest: Int64 = 0
        for rule in groups.flatMap(\.definition.rules) {
            longest = max(longest, window(of: rule.expr), rule.forDuration + rule.keepFiringFor)
        }
        return longest + lookback
    }

    /// The longest time back from the evaluation time that `expr` reads.
    static func window(of expr: Expr) -> Int64 {
        switch expr {
        case .number, .string: return 0
        case .vector(let selector): return max(0, selector.offset)
        case .matrix(let selector, let range): return range + max(0, selector.offset)
        case .subquery(let subquery): return subquery.range + max(0, subquery.offset) + window(of: subquery.expr)
        case .paren(let inner), .unary(_, let inner): return window(of: inner)
        case .binary(let binary): return max(window(of: binary.lhs), window(of: binary.rhs))
        case .aggregate(let aggregation): return max(window(of: aggregation.expr), aggregation.param.map(window) ?? 0)
        case .call(let call): return call.args.map(window).max() ?? 0
        }
    }
}
