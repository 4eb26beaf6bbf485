import TimeSeries

/// Vector selectors (`name{a="b", c=~"d"}`) and label lists (`by (a, b)`).
extension Parser {
    mutating func selector(name: String?, start: SourcePosition) throws(ParseError) -> Node {
        var matchers: [LabelMatcher] = []
        if let name { matchers.append(try! LabelMatcher(.equal, Labels.metricName, name)) }
        if current.kind == .leftBrace {
            advance()
            while current.kind != .rightBrace {
                if current.kind == .eof { throw error("unexpected end of input inside braces", at: current.position) }
                let matcher = try labelMatcher()
                if name != nil && matcher.name == Labels.metricName {
                    throw error("metric name must not be set twice: \"\(name!)\" or \"\(matcher.value)\"", at: start)
                }
                matchers.append(matcher)
                if current.kind == .comma { advance() } else if current.kind != .rightBrace {
                    throw unexpected(current, context: "label matching, expected \",\" or \"}\"")
                }
            }
            advance()
        }
        guard matchers.contains(where: { !$0.matchesEmpty }) else {
            throw error("vector selector must contain at least one non-empty matcher", at: start)
        }
        return Node(expr: .vector(VectorSelector(name: name, matchers: matchers)), start: start)
    }

    private mutating func labelMatcher() throws(ParseError) -> LabelMatcher {
        let name = try labelName(context: "label matching")
        let kind: LabelMatcher.Kind
        switch current.kind {
        case .assign: kind = .equal
        case .op(.neq): kind = .notEqual
        case .regexMatch: kind = .regexMatch
        case .regexNoMatch: kind = .regexNoMatch
        default: throw unexpected(current, context: "label matching, expected label matching operator")
        }
        advance()
        guard case .string(let value) = current.kind else {
            throw unexpected(current, context: "label matching, expected string")
        }
        let valuePosition = current.position
        advance()
        if kind == .regexMatch || kind == .regexNoMatch, let problem = RE2Syntax.unsupported(value) {
            throw error("error parsing regexp: \(problem)", at: valuePosition)
        }
        do {
            return try LabelMatcher(kind, name, value)
        } catch {
            throw self.error("\(error)", at: valuePosition)
        }
    }

    /// A label name: an identifier without `:`, or a keyword used as a name.
    mutating func labelName(context: String) throws(ParseError) -> String {
        let token = current
        switch token.kind {
        case .identifier(let name) where !name.contains(":"):
            advance()
            return name
        case .keyword:
            advance()
            return token.text
        case .number where token.text.utf8.allSatisfy(\.isLetter):   // "inf", "nan"
            advance()
            return token.text
        default:
            throw unexpected(token, context: context)
        }
    }

    /// `( name, name, ... )`, a trailing comma allowed.
    mutating func labelList(context: String) throws(ParseError) -> [String] {
        try expect(.leftParen, context: context)
        var names: [String] = []
        while current.kind != .rightParen {
            if current.kind == .eof { throw error("unclosed left parenthesis", at: current.position) }
            names.append(try labelName(context: context))
            if current.kind == .comma { advance() } else if current.kind != .rightParen {
                throw unexpected(current, context: "\(context), expected \",\" or \")\"")
            }
        }
        advance()
        return names
    }
}
