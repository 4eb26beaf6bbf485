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

    public init(name: String?, matchers: [LabelMatcher], offset: Int64 = 0) {
        self.name = name
        self.matchers = matchers
        self.offset = offset
    }

    var descriptionWithoutOffset: String {
        let shown = matchers.filter { !(name != nil && $0.name == Labels.metricName && $0.kind == .equal && $0.value == name) }
        let braces = shown.isEmpty && name != nil ? "" : "{" + shown.map(\.promQL).joined(separator: ", ") + "}"
        return (name ?? "") + braces
    }

    var offsetDescription: String { offset == 0 ? "" : " offset \(DurationFormat.format(offset))" }

    public var description: String { descriptionWithoutOffset + offsetDescription }
}

extension LabelMatcher {
    /// The matcher as PromQL source (`a=~"x|y"`), with Go-style quoting.
    var promQL: String { name + kind.rawValue + FloatFormat.quote(value) }
}

/// `expr[range:step] offset d`; a nil step means the evaluation interval.
public struct Subquery: Sendable, Equatable, CustomStringConvertible {
    public var expr: Expr
    public var range: Int64
    public var step: Int64?
    public var offset: Int64

    public var description: String {
        let step = self.step.map(DurationFormat.format) ?? ""
        let offset = self.offset == 0 ? "" : " offset \(DurationFormat.format(self.offset))"
        return "\(expr)[\(DurationFormat.format(range)):\(step)]" + offset
    }
}

/// How two vectors' elements pair up in a binary operation.
public struct VectorMatching: Sendable, Equatable {
    /// One-to-one, many-to-one (`group_left`), one-to-many (`group_right`), many-to-many (set operators).
    public enum Cardinality: Sendable, Equatable { case oneToOne, manyToOne, oneToMany, manyToMany }

    public var cardinality: Cardinality
    /// `on(...)` when true, `ignoring(...)` when false.
    public var on: Bool
    /// The labels of `on`/`ignoring`.
    public var labels: [String]
    /// The labels of `group_left`/`group_right`, copied from the "one" side.
    public var include: [String]

    public init(cardinality: Cardinality = .oneToOne, on: Bool = false, labels: [String] = [], include: [String] = []) {
        self.cardinality = cardinality
        self.on = on
        self.labels = labels
        self.include = include
    }
}

/// `lhs op [bool] [on|ignoring(...)] [group_left|group_right(...)] rhs`.
public struct BinaryExpr: Sendable, Equatable, CustomStringConvertible {
    public var op: BinaryOperator
    public var lhs: Expr
    public var rhs: Expr
    public var returnBool: Bool
    /// Nil when one side is a scalar.
    public var matching: VectorMatching?

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
    public var op: AggregationOp
    public var expr: Expr
    public var param: Expr?
    /// The `by`/`without` labels.
    public var grouping: [String]
    /// `without` rather than `by`.
    public var without: Bool

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
    public var function: Function
    public var args: [Expr]
}
