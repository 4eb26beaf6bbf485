/// A position in an expression's source: 1-based line and column (columns count UTF-8 bytes,
/// as Prometheus does), plus the byte offset for slicing.
public struct SourcePosition: Sendable, Equatable, CustomStringConvertible {
    /// Byte offset from the start of the source.
    public var offset: Int
    /// 1-based line.
    public var line: Int
    /// 1-based column, in UTF-8 bytes.
    public var column: Int

    /// A position from its parts.
    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}

/// One lexical token of PromQL.
struct Token: Sendable, Equatable {
    /// What a token is; literals carry their decoded value.
    enum Kind: Sendable, Hashable {
        case identifier(String)        // foo, label names, function names, keywords-as-names
        case keyword(Keyword)
        case number(Double)
        case duration(Int64)           // milliseconds
        case string(String)
        case op(Operator)
        case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
        case comma, colon, assign, regexMatch, regexNoMatch, at
        case eof
    }

    let kind: Kind
    /// The source text of the token (for error messages).
    let text: String
    let position: SourcePosition
}

/// PromQL keywords. They may still be used as label names (`{on="x"}`, `by (bool)`).
enum Keyword: String, Sendable, CaseIterable {
    case and, or, unless, by, without, on, ignoring, bool, offset
    case groupLeft = "group_left"
    case groupRight = "group_right"
    case atan2
}

/// Binary operators, with their precedence (higher binds tighter).
public enum BinaryOperator: String, Sendable, CaseIterable {
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%", pow = "^"
    case eql = "==", neq = "!=", gtr = ">", lss = "<", gte = ">=", lte = "<="
    case and, or, unless, atan2

    /// Precedence as in Prometheus's grammar: `or` < `and unless` < comparisons < `+ -` <
    /// `* / % atan2` < `^`.
    var precedence: Int {
        switch self {
        case .or: 1
        case .and, .unless: 2
        case .eql, .neq, .gtr, .lss, .gte, .lte: 3
        case .add, .sub: 4
        case .mul, .div, .mod, .atan2: 5
        case .pow: 6
        }
    }

    /// `^` is the only right-associative operator.
    var isRightAssociative: Bool { self == .pow }

    /// `== != > < >= <=`: filters unless `bool` is given.
    public var isComparison: Bool { precedence == 3 }

    /// `and or unless`: many-to-many by definition.
    public var isSetOperator: Bool { self == .and || self == .or || self == .unless }

    /// Arithmetic drops the metric name; comparisons and set operators keep it.
    var dropsMetricName: Bool {
        switch self {
        case .add, .sub, .mul, .div, .mod, .pow: true   // not atan2, as in Prometheus 2.42
        default: false
        }
    }
}

/// Operator tokens (a subset of binary operators; `+`/`-` double as unary signs).
typealias Operator = BinaryOperator
