import TimeSeries

/// A parsed PromQL expression. Value semantics; `description` prints it back as PromQL in
/// Prometheus's canonical form (so `sum(x) by (a)` prints `sum by(a) (x)`).
public indirect enum Expr: Sendable, Equatable, CustomStringConvertible {
    /// A float literal (`1`, `0x1f`, `Inf`, `1e3`); unary minus on a literal folds into it.
    case number(Double)
    /// A string literal (only valid as a function or aggregation argument).
    case string(String)
    /// An instant vector selector: `name{matchers} offset d`.
    case vector(VectorSelector)
    /// A range vector selector: `name{matchers}[range] offset d`.
    case matrix(VectorSelector, range: Int64)
    /// A subquery: `expr[range:step] offset d`.
    case subquery(Subquery)
    /// A parenthesised expression.
    case paren(Expr)
    /// Unary minus (`negate`) or plus.
    case unary(negate: Bool, Expr)
    /// A binary operation with its matching modifiers.
    case binary(BinaryExpr)
    /// An aggregation (`sum by (a) (x)`, `topk(3, x)`).
    case aggregate(Aggregation)
    /// A function call.
    case call(FunctionCall)

    /// The type of value the expression evaluates to.
    public var type: ValueType {
        switch self {
        case .number: .scalar
        case .string: .string
        case .vector: .vector
        case .matrix, .subquery: .matrix
        case .paren(let inner), .unary(_, let inner): inner.type
        case .binary(let binary): binary.lhs.type == .scalar && binary.rhs.type == .scalar ? .scalar : .vector
        case .aggregate: .vector
        case .call(let call): call.function.returnType
        }
    }

    /// The expression as canonical PromQL.
    public var description: String {
        switch self {
        case .number(let value): FloatFormat.shortest(value)
        case .string(let value): FloatFormat.quote(value)
        case .vector(let selector): selector.description
        case .matrix(let selector, let range):
            selector.descriptionWithoutOffset + "[\(DurationFormat.format(range))]" + selector.offsetDescription
        case .subquery(let subquery): subquery.description
        case .paren(let inner): "(\(inner))"
        case .unary(let negate, let inner): (negate ? "-" : "+") + inner.description
        case .binary(let binary): binary.description
        case .aggregate(let aggregation): aggregation.description
        case .call(let call): "\(call.function.name)(" + call.args.map(\.description).joined(separator: ", ") + ")"
        }
    }
}

/// The four PromQL value types.
public enum ValueType: String, Sendable, CustomStringConvertible {
    case scalar, string
    case vector = "instant vector"
    case matrix = "range vector"

    /// The name Prometheus uses in messages (`instant vector`).
    public var description: String { rawValue }
}

/// A selector's matchers and offset. `matchers` includes the metric-name matcher, if any.
public struct VectorSelector: Sendable, Hashable, CustomStringConvertible {
    /// The metric name written before the braces, if any.
    public var name: String?
    /// Every matcher, the name's `__name__="…"` first when `name` is set.
    public var matchers: [LabelMatcher]
    /// The `offset` in milliseconds (0 when absent).
    public var offset: Int64
    /// The `@` modifier, if any: the selector reads at that time instead of the evaluation time.
    public var at: AtModifier?

    /// A selector; `matchers` must include the name matcher when `name` is set.
    public init(name: String?, matchers: [LabelMatcher], offset: Int64 = 0, at: AtModifier? = nil) {
        self.name = name
        self.matchers = matchers
        self.offset = offset
        self.at = at
    }

    var descriptionWithoutOffset: String {
        let shown = matchers.filter { !(name != nil && $0.name == Labels.metricName && $0.kind == .equal && $0.value == name) }
        let braces = shown.isEmpty && name != nil ? "" : "{" + shown.map(\.promQL).joined(separator: ", ") + "}"
        return (name ?? "") + braces
    }

    /// ` @ t offset d`, as Prometheus prints the modifiers.
    var offsetDescription: String {
        (at.map { " @ \($0)" } ?? "") + (offset == 0 ? "" : " offset \(DurationFormat.format(offset))")
    }

    /// The selector as PromQL.
    public var description: String { descriptionWithoutOffset + offsetDescription }
}

extension LabelMatcher {
    /// The matcher as PromQL source (`a=~"x|y"`), with Go-style quoting.
    var promQL: String { name + kind.rawValue + FloatFormat.quote(value) }
}

/// The `@` modifier: a fixed time, or the start or end of the query (both the evaluation
/// time of an instant query).
public enum AtModifier: Sendable, Hashable, CustomStringConvertible {
    /// Milliseconds since the epoch (written in seconds, `@ 1700000000.5`).
    case time(Int64)
    /// `@ start()`.
    case start
    /// `@ end()`.
    case end

    /// `1700000000.500`, `start()` or `end()`, as Prometheus prints them.
    public var description: String {
        switch self {
        case .time(let milliseconds):
            let sign = milliseconds < 0 ? "-" : ""
            let magnitude = milliseconds.magnitude
            let fraction = String(magnitude % 1000)
            return sign + "\(magnitude / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
        case .start: return "start()"
        case .end: return "end()"
        }
    }
}

/// `expr[range:step] offset d`; a nil step means the evaluation interval.
public struct Subquery: Sendable, Equatable, CustomStringConvertible {
    /// The inner instant-vector expression.
    public var expr: Expr
    /// How far back the subquery reaches, in milliseconds.
    public var range: Int64
    /// The step in milliseconds; nil for the engine's default.
    public var step: Int64?
    /// The `offset` in milliseconds.
    public var offset: Int64
    /// The `@` modifier, if any.
    public var at: AtModifier?

    /// The subquery as PromQL.
    public var description: String {
        let step = self.step.map(DurationFormat.format) ?? ""
        let offset = (at.map { " @ \($0)" } ?? "") + (self.offset == 0 ? "" : " offset \(DurationFormat.format(self.offset))")
        return "\(expr)[\(DurationFormat.format(range)):\(step)]" + offset
    }
}

/// How two vectors' elements pair up in a binary operation.
public struct VectorMatching: Sendable, Equatable {
    /// One-to-one, many-to-one (`group_left`), one-to-many (`group_right`), many-to-many (set operators).
    public enum Cardinality: Sendable, Equatable { case oneToOne, manyToOne, oneToMany, manyToMany }

    /// Which side may match several elements.
    public var cardinality: Cardinality
    /// `on(...)` when true, `ignoring(...)` when false.
    public var on: Bool
    /// The labels of `on`/`ignoring`.
    public var labels: [String]
    /// The labels of `group_left`/`group_right`, copied from the "one" side.
    public var include: [String]

    /// Matching from its parts; the default is one-to-one on all labels but the name.
    public init(cardinality: Cardinality = .oneToOne, on: Bool = false, labels: [String] = [], include: [String] = []) {
        self.cardinality = cardinality
        self.on = on
        self.labels = labels
        self.include = include
    }
}

/// `lhs op [bool] [on|ignoring(...)] [group_left|group_right(...)] rhs`.
public struct BinaryExpr: Sendable, Equatable, CustomStringConvertible {
    /// The operator.
    public var op: BinaryOperator
    /// The left operand.
    public var lhs: Expr
    /// The right operand.
    public var rhs: Expr
    /// The `bool` modifier: comparisons return 0/1 instead of filtering.
    public var returnBool: Bool
    /// Nil when one side is a scalar.
    public var matching: VectorMatching?

    /// The operation as PromQL.
    public var description: String {
        var modifiers = returnBool ? " bool" : ""
        if let matching, matching.on || !matching.labels.isEmpty {
            modifiers += (matching.on ? " on(" : " ignoring(") + matching.labels.joined(separator: ", ") + ")"
            if matching.cardinality == .manyToOne { modifiers += " group_left(" + matching.include.joined(separator: ", ") + ")" }
            if matching.cardinality == .oneToMany { modifiers += " group_right(" + matching.include.joined(separator: ", ") + ")" }
        }
        return "\(lhs) \(op.rawValue)\(modifiers) \(rhs)"
    }
}

/// The aggregation operators.
public enum AggregationOp: String, Sendable, CaseIterable {
    case sum, min, max, avg, count, group, stddev, stdvar, topk, bottomk, quantile
    case countValues = "count_values"

    /// The type of the first argument of `topk(k, v)`-style operators, if they take one.
    var parameterType: ValueType? {
        switch self {
        case .topk, .bottomk, .quantile: .scalar
        case .countValues: .string
        default: nil
        }
    }
}

/// `op [by|without (labels)] ([param,] expr)`.
public struct Aggregation: Sendable, Equatable, CustomStringConvertible {
    /// The operator.
    public var op: AggregationOp
    /// The aggregated instant vector.
    public var expr: Expr
    /// The `k`, quantile or label-name parameter, if the operator takes one.
    public var param: Expr?
    /// The `by`/`without` labels.
    public var grouping: [String]
    /// `without` rather than `by`.
    public var without: Bool

    /// The aggregation as PromQL.
    public var description: String {
        var text = op.rawValue
        if without {
            text += " without(" + grouping.joined(separator: ", ") + ") "
        } else if !grouping.isEmpty {
            text += " by(" + grouping.joined(separator: ", ") + ") "
        }
        return text + "(" + (param.map { "\($0), " } ?? "") + "\(expr))"
    }
}

/// A call of a supported function.
public struct FunctionCall: Sendable, Equatable {
    /// The function called.
    public var function: Function
    /// The arguments, type-checked by the parser.
    public var args: [Expr]
}
