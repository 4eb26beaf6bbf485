/// Range selectors, subqueries and `offset`, which bind tighter than any operator.
extension Parser {
    mutating func postfix(_ node: Node) throws(ParseError) -> Node {
        var node = node
        while true {
            switch current.kind {
            case .leftBracket: node = try rangeOrSubquery(node)
            case .keyword(.offset): node = try offset(node)
            case .at: node = try atModifier(node)
            default: return node
            }
        }
    }

    mutating func duration(context: String) throws(ParseError) -> Int64 {
        guard case .duration(let value) = current.kind else { throw unexpected(current, context: context) }
        advance()
        return value
    }

    private mutating func rangeOrSubquery(_ node: Node) throws(ParseError) -> Node {
        let bracket = current.position
        advance()
        if case .number = current.kind, !current.text.contains(where: \.isLetter) {
            throw error("missing unit character in duration", at: current.position)
        }
        let range = try duration(context: "range, expected duration")
        if current.kind == .colon {
            advance()
            var step: Int64?
            if case .duration = current.kind { step = try duration(context: "subquery") }
            try expect(.rightBracket, context: "subquery")
            let type = node.expr.type
            guard type == .vector else {
                throw error("subquery is only allowed on instant vector, got \(type) in \"\(node.expr)\" instead", at: node.start)
            }
            return try nested(.subquery(Subquery(expr: node.expr, range: range, step: step, offset: 0, at: nil)),
                              start: node.start, childDepth: node.depth)
        }
        try expect(.rightBracket, context: "range, expected \"]\"")
        guard case .vector(let selector) = node.expr else {
            throw error("ranges only allowed for vector selectors", at: bracket)
        }
        guard selector.offset == 0 else { throw error("no offset modifiers allowed before range", at: bracket) }
        // Prometheus 2.42 refuses `x @ 100 [5m]` but accepts `x @ end() [5m]`.
        if case .time = selector.at { throw error("no @ modifiers allowed before range", at: bracket) }
        return Node(expr: .matrix(selector, range: range), start: node.start)
    }

    /// `@ <seconds>`, `@ start()`, `@ end()`.
    private mutating func atModifier(_ node: Node) throws(ParseError) -> Node {
        let start = node.start
        advance()
        let at: AtModifier
        var sign = 1.0
        if case .op(let op) = current.kind, op == .add || op == .sub {
            sign = op == .sub ? -1 : 1
            advance()
        }
        switch current.kind {
        case .number(let seconds):
            let value = sign * seconds
            guard value.isFinite, value.magnitude < 9.2e15 else {
                throw error("timestamp out of bounds for @ modifier: \(FloatFormat.shortest(value))", at: start)
            }
            at = .time(Int64((value * 1000).rounded()))
            advance()
        case .identifier(let name) where (name == "start" || name == "end") && sign == 1 && peekKind() == .leftParen:
            advance()
            advance()
            try expect(.rightParen, context: "@")
            at = name == "start" ? .start : .end
        default:
            throw unexpected(current, context: "@, expected timestamp")
        }
        let twice = "@ <timestamp> may not be set multiple times"
        switch node.expr {
        case .vector(var selector):
            guard selector.at == nil else { throw error(twice, at: start) }
            selector.at = at
            return Node(expr: .vector(selector), start: start, depth: node.depth)
        case .matrix(var selector, let range):
            guard selector.at == nil else { throw error(twice, at: start) }
            selector.at = at
            return Node(expr: .matrix(selector, range: range), start: start, depth: node.depth)
        case .subquery(var subquery):
            guard subquery.at == nil else { throw error(twice, at: start) }
            subquery.at = at
            return Node(expr: .subquery(subquery), start: start, depth: node.depth)
        default:
            throw error("@ modifier must be preceded by an instant vector selector or range vector selector or a subquery", at: start)
        }
    }

    private mutating func offset(_ node: Node) throws(ParseError) -> Node {
        let keyword = current.position
        advance()
        var sign: Int64 = 1
        if case .op(.sub) = current.kind {
            sign = -1
            advance()
        }
        let amount = sign * (try duration(context: "offset, expected duration"))
        let twice = "offset may not be set multiple times"
        switch node.expr {
        case .vector(var selector):
            guard selector.offset == 0 else { throw error(twice, at: keyword) }
            selector.offset = amount
            return Node(expr: .vector(selector), start: node.start)
        case .matrix(var selector, let range):
            guard selector.offset == 0 else { throw error(twice, at: keyword) }
            selector.offset = amount
            return Node(expr: .matrix(selector, range: range), start: node.start)
        case .subquery(var subquery):
            guard subquery.offset == 0 else { throw error(twice, at: keyword) }
            subquery.offset = amount
            return Node(expr: .subquery(subquery), start: node.start, depth: node.depth)
        default:
            throw error("offset modifier must be preceded by an instant vector selector or range vector selector or a subquery", at: keyword)
        }
    }
}
