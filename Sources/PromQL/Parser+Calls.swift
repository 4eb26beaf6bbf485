/// Aggregations (`sum by (a) (x)`) and function calls, with their argument checks.
extension Parser {
    mutating func aggregation(_ op: AggregationOp) throws(ParseError) -> Node {
        let start = current.position
        advance()
        var grouping: [String] = []
        var without = false
        var grouped = false
        if isKeyword(.by) || isKeyword(.without) {
            without = isKeyword(.without)
            advance()
            grouping = try labelList(context: "grouping")
            grouped = true
        }
        guard current.kind == .leftParen else { throw unexpected(current, context: "aggregation") }
        let args = try arguments(context: "aggregation")
        if !grouped && (isKeyword(.by) || isKeyword(.without)) {
            without = isKeyword(.without)
            advance()
            grouping = try labelList(context: "grouping")
        }
        let expected = op.parameterType == nil ? 1 : 2
        guard args.count == expected else {
            throw error("wrong number of arguments for aggregate expression provided, expected \(expected), got \(args.count)", at: start)
        }
        let expr = args[args.count - 1]
        try expectType(expr, .vector, context: "aggregation expression")
        var param: Expr?
        if let type = op.parameterType {
            try expectType(args[0], type, context: "aggregation parameter")
            param = args[0].expr
        }
        let aggregation = Aggregation(op: op, expr: expr.expr, param: param, grouping: grouping, without: without)
        return try nested(.aggregate(aggregation), start: start, childDepth: args.map(\.depth).max() ?? 0)
    }

    mutating func call(_ name: String) throws(ParseError) -> Node {
        let start = current.position
        guard let function = Function.supported[name] else {
            if Function.unsupported.contains(name) {
                throw error("function \"\(name)\" is not supported (it is newer than Prometheus 2.42)", at: start)
            }
            throw error("unknown function with name \"\(name)\"", at: start)
        }
        advance()
        let args = try arguments(context: "call to function \"\(name)\"")
        try checkArguments(args, of: function, at: start)
        return try nested(.call(FunctionCall(function: function, args: args.map(\.expr))), start: start,
                          childDepth: args.map(\.depth).max() ?? 0)
    }

    private func checkArguments(_ args: [Node], of function: Function, at start: SourcePosition) throws(ParseError) {
        let declared = function.argTypes.count
        if function.variadic == 0 {
            guard declared == args.count else {
                throw error("expected \(declared) argument(s) in call to \"\(function.name)\", got \(args.count)", at: start)
            }
        } else {
            let least = declared - 1
            if least > args.count {
                throw error("expected at least \(least) argument(s) in call to \"\(function.name)\", got \(args.count)", at: start)
            }
            if function.variadic > 0 && least + function.variadic < args.count {
                throw error("expected at most \(least + function.variadic) argument(s) in call to \"\(function.name)\", got \(args.count)", at: start)
            }
        }
        for (position, arg) in args.enumerated() {
            let type = function.argTypes[min(position, declared - 1)]
            try expectType(arg, type, context: "call to function \"\(function.name)\"")
        }
    }

    func expectType(_ node: Node, _ type: ValueType, context: String) throws(ParseError) {
        let actual = node.expr.type
        guard actual == type else {
            throw error("expected type \(type) in \(context), got \(actual)", at: node.start)
        }
    }

    /// `( expr, expr, ... )`.
    private mutating func arguments(context: String) throws(ParseError) -> [Node] {
        try expect(.leftParen, context: context)
        var args: [Node] = []
        if current.kind == .rightParen {
            advance()
            return args
        }
        while true {
            if current.kind == .eof { throw error("unclosed left parenthesis", at: current.position) }
            args.append(try expression())
            if current.kind == .rightParen {
                advance()
                return args
            }
            if current.kind == .eof { throw error("unclosed left parenthesis", at: current.position) }
            guard current.kind == .comma else { throw unexpected(current, context: "\(context), expected \",\" or \")\"") }
            advance()
        }
    }
}
