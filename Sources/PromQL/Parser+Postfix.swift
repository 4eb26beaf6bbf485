/// Range selectors, subqueries and `offset`, which bind tighter than any operator.
extension Parser {
    mutating func postfix(_ node: Node) throws(ParseError) -> Node {
        var node = node
        while true {
            switch current.kind {
            case .leftBracket: node = try rangeOrSubquery(node)
            case .keyword(.offset): node = try offset(node)
            case .at: throw error("the @ modifier is not supported", at: current.position)
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
            return try nested(.subquery(Subquery(expr: node.expr, range: range, step: step, offset: 0)),
                              start: node.start, childDepth: node.depth)
        }
        try expect(.rightBracket, context: "range, expected \"]\"")
        guard case .vector(let selector) = node.expr else {
            throw error("ranges only allowed for vector selectors", at: bracket)
        }
        guard selector.offset == 0 else { throw error("no offset modifiers allowed before range", at: bracket) }
        return Node(expr: .matrix(selector, range: range), start: node.start)
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
