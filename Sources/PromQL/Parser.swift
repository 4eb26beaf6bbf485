import TimeSeries

/// Parses PromQL source into an `Expr`, with Prometheus 2.42's syntax and type checks.
public enum PromQLParser {
    /// Parses one expression. Errors carry the 1-based line and column in `source`.
    public static func parse(_ source: String) throws(ParseError) -> Expr {
        var parser = Parser(tokens: try Lexer.tokenize(source))
        let node = try parser.expression()
        guard case .eof = parser.current.kind else {
            throw parser.unexpected(parser.current, context: "")
        }
        return node.expr
    }
}

/// An expression and where it starts, for positioned type errors.
struct Node {
    var expr: Expr
    var start: SourcePosition
    /// The height of the tree, bounded by `Parser.maxDepth` so that evaluating and printing
    /// (which recurse) cannot exhaust a thread's stack.
    var depth = 1
}

/// A precedence-climbing parser over the lexer's tokens. Recursion is bounded by
/// `maxDepth`, so no input can exhaust the stack.
struct Parser {
    let tokens: [Token]
    var index = 0
    var depth = 0
    static let maxDepth = 256

    init(tokens: [Token]) {
        self.tokens = tokens
    }

    var current: Token { tokens[index] }

    func peekKind(_ ahead: Int = 1) -> Token.Kind {
        tokens[min(index + ahead, tokens.count - 1)].kind
    }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    /// A node over children of height `childDepth`, refused when the tree gets too deep.
    func nested(_ expr: Expr, start: SourcePosition, childDepth: Int) throws(ParseError) -> Node {
        guard childDepth < Parser.maxDepth else {
            throw error("expression nested too deeply (more than \(Parser.maxDepth) levels)", at: start)
        }
        return Node(expr: expr, start: start, depth: childDepth + 1)
    }

    func error(_ message: String, at position: SourcePosition) -> ParseError {
        ParseError(position: position, message: message)
    }

    func unexpected(_ token: Token, context: String) -> ParseError {
        let suffix = context.isEmpty ? "" : " in \(context)"
        return error("unexpected \(Parser.describe(token))\(suffix)", at: token.position)
    }

    static func describe(_ token: Token) -> String {
        switch token.kind {
        case .eof: "end of input"
        case .identifier: "identifier \"\(token.text)\""
        case .number: "number \"\(token.text)\""
        case .duration: "duration \"\(token.text)\""
        case .string: "string \(token.text)"
        case .keyword: "<\(token.text.lowercased())>"
        case .op: "<op:\(token.text)>"
        case .rightParen: "right parenthesis ')'"
        default: "\"\(token.text)\""
        }
    }

    mutating func expect(_ kind: Token.Kind, context: String) throws(ParseError) {
        guard current.kind == kind else {
            if current.kind == .eof, let unclosed = Self.unclosed[kind] { throw error(unclosed, at: current.position) }
            throw unexpected(current, context: context)
        }
        advance()
    }

    /// Prometheus's messages for input that ends inside a bracket pair.
    static let unclosed: [Token.Kind: String] = [
        .rightParen: "unclosed left parenthesis",
        .rightBracket: "unclosed left bracket",
        .rightBrace: "unexpected end of input inside braces",
    ]

    func isKeyword(_ keyword: Keyword) -> Bool {
        if case .keyword(keyword) = current.kind { return true }
        return false
    }

    /// The binary operator at the current token, if any.
    var binaryOperator: BinaryOperator? {
        switch current.kind {
        case .op(let op): op
        case .keyword(.and): .and
        case .keyword(.or): .or
        case .keyword(.unless): .unless
        case .keyword(.atan2): .atan2
        default: nil
        }
    }

    /// expression := unary (binop modifiers expression)*, by precedence climbing.
    mutating func expression(minPrecedence: Int = 0) throws(ParseError) -> Node {
        depth += 1
        defer { depth -= 1 }
        // A sign and a parenthesis recurse twice per tree level; the tree's own height is
        // checked by `nested`.
        guard depth <= 2 * Parser.maxDepth + 8 else {
            throw error("expression nested too deeply (more than \(Parser.maxDepth) levels)", at: current.position)
        }
        var lhs = try unary()
        while let op = binaryOperator, op.precedence >= minPrecedence {
            let opToken = current
            advance()
            let returnBool = isKeyword(.bool)
            if returnBool { advance() }
            let matching = try vectorMatching()
            let rhs = try expression(minPrecedence: op.isRightAssociative ? op.precedence : op.precedence + 1)
            lhs = try binary(op, lhs, rhs, returnBool: returnBool, matching: matching, at: opToken.position)
        }
        return lhs
    }

    /// `on(...)`/`ignoring(...)` optionally followed by `group_left(...)`/`group_right(...)`.
    mutating func vectorMatching() throws(ParseError) -> VectorMatching? {
        guard isKeyword(.on) || isKeyword(.ignoring) else { return nil }
        var matching = VectorMatching(on: isKeyword(.on))
        advance()
        matching.labels = try labelList(context: "grouping")
        if isKeyword(.groupLeft) || isKeyword(.groupRight) {
            matching.cardinality = isKeyword(.groupLeft) ? .manyToOne : .oneToMany
            advance()
            if current.kind == .leftParen { matching.include = try labelList(context: "grouping") }
        }
        return matching
    }

    /// Type checks of a binary expression, as Prometheus's `checkAST`.
    func binary(_ op: BinaryOperator, _ lhs: Node, _ rhs: Node, returnBool: Bool,
                matching: VectorMatching?, at position: SourcePosition) throws(ParseError) -> Node {
        let (lt, rt) = (lhs.expr.type, rhs.expr.type)
        if returnBool && !op.isComparison {
            throw error("bool modifier can only be used on comparison operators", at: position)
        }
        if op.isComparison && !returnBool && lt == .scalar && rt == .scalar {
            throw error("comparisons between scalars must use BOOL modifier", at: position)
        }
        var matching = matching ?? VectorMatching()
        if let overlap = matching.labels.first(where: { matching.on && matching.include.contains($0) }) {
            throw error("label \"\(overlap)\" must not occur in ON and GROUP clause at once", at: position)
        }
        if lt != .scalar && lt != .vector {
            throw error("binary expression must contain only scalar and instant vector types", at: lhs.start)
        }
        if rt != .scalar && rt != .vector {
            throw error("binary expression must contain only scalar and instant vector types", at: rhs.start)
        }
        if (lt == .scalar || rt == .scalar) && op.isSetOperator {
            throw error("set operator \"\(op.rawValue)\" not allowed in binary scalar expression", at: position)
        }
        var finalMatching: VectorMatching? = matching
        if lt != .vector || rt != .vector {
            if !matching.labels.isEmpty {
                throw error("vector matching only allowed between instant vectors", at: position)
            }
            finalMatching = nil
        } else if op.isSetOperator {
            if matching.cardinality != .oneToOne {
                throw error("no grouping allowed for \"\(op.rawValue)\" operation", at: position)
            }
            matching.cardinality = .manyToMany
            finalMatching = matching
        }
        let expr = Expr.binary(BinaryExpr(op: op, lhs: lhs.expr, rhs: rhs.expr, returnBool: returnBool, matching: finalMatching))
        return try nested(expr, start: lhs.start, childDepth: max(lhs.depth, rhs.depth))
    }

    /// unary := ('-' | '+') unary-operand | postfix. A sign binds tighter than `*` but looser
    /// than `^`, so `-2^2` is `-(2^2)`.
    mutating func unary() throws(ParseError) -> Node {
        guard case .op(let op) = current.kind, op == .add || op == .sub else {
            return try postfix(primary())
        }
        let start = current.position
        advance()
        let operand = try expression(minPrecedence: BinaryOperator.pow.precedence)
        if case .number(let value) = operand.expr {
            return Node(expr: .number(op == .sub ? -value : value), start: start)
        }
        let type = operand.expr.type
        guard type == .scalar || type == .vector else {
            throw error("unary expression only allowed on expressions of type scalar or instant vector, got \"\(type)\"", at: start)
        }
        return try nested(.unary(negate: op == .sub, operand.expr), start: start, childDepth: operand.depth)
    }

    /// primary := number | string | '(' expression ')' | selector | aggregation | call.
    mutating func primary() throws(ParseError) -> Node {
        let token = current
        switch token.kind {
        case .number(let value):
            advance()
            return Node(expr: .number(value), start: token.position)
        case .string(let value):
            advance()
            return Node(expr: .string(value), start: token.position)
        case .leftParen:
            advance()
            if current.kind == .eof { throw error("unclosed left parenthesis", at: current.position) }
            let inner = try expression()
            try expect(.rightParen, context: "parenthesized expression")
            return try nested(.paren(inner.expr), start: token.position, childDepth: inner.depth)
        case .leftBrace:
            return try selector(name: nil, start: token.position)
        case .identifier(let name):
            if let op = AggregationOp(rawValue: name.lowercased()) { return try aggregation(op) }
            if peekKind() == .leftParen { return try call(name) }
            advance()
            return try selector(name: name, start: token.position)
        default:
            throw unexpected(token, context: "")
        }
    }
}
