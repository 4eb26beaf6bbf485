import Foundation

/// Parses template tokens into nodes, checking at parse time what Go's `text/template` checks:
/// known functions, declared variables, balanced `if`/`range`/`end`.
struct TemplateParser {
    private let tokens: [TemplateToken]
    private var index = 0
    private var scopes: [Set<String>] = [Template.predefinedVariables]

    init(_ tokens: [TemplateToken]) { self.tokens = tokens }

    /// Parses the whole token list.
    mutating func parseAll() throws(TemplateError) -> [TemplateNode] {
        let (nodes, stop) = try list()
        if let stop { throw TemplateError(position: stop.position, message: "unexpected {{\(stop.keyword)}}") }
        return nodes
    }

    private var current: TemplateToken? { index < tokens.count ? tokens[index] : nil }
    private var endPosition: SourcePosition { tokens.last?.position ?? SourcePosition(line: 1, column: 1) }

    /// Nodes up to a `{{else}}`, `{{else if}}` or `{{end}}` (returned, consumed up to the keyword).
    private mutating func list() throws(TemplateError) -> ([TemplateNode], (keyword: String, position: SourcePosition)?) {
        var nodes: [TemplateNode] = []
        while let token = current {
            index += 1
            switch token.kind {
            case .text(let text):
                nodes.append(.text(text))
            case .open:
                if case .identifier(let word)? = current?.kind, ["end", "else", "if", "range"].contains(word) {
                    let position = current!.position
                    index += 1
                    switch word {
                    case "if": nodes.append(try conditional())
                    case "range": nodes.append(try rangeNode(position))
                    case "end": try expectClose(); return (nodes, ("end", position))
                    default: return (nodes, ("else", position))
                    }
                } else {
                    let pipe = try pipeline(allowDeclaration: true)
                    try expectClose()
                    nodes.append(.action(pipe))
                }
            default:
                throw TemplateError(position: token.position, message: "unexpected token")
            }
        }
        return (nodes, nil)
    }

    /// After `{{if`: the condition, branches and `{{end}}`.
    private mutating func conditional() throws(TemplateError) -> TemplateNode {
        let condition = try pipeline(allowDeclaration: false)
        try expectClose()
        scopes.append([])
        let (then, stop) = try list()
        scopes.removeLast()
        guard let stop else { throw TemplateError(position: endPosition, message: "unexpected EOF: missing {{end}}") }
        if stop.keyword == "end" { return .conditional(condition, then: then, otherwise: []) }
        if case .identifier("if")? = current?.kind {
            index += 1
            return .conditional(condition, then: then, otherwise: [try conditional()])
        }
        try expectClose()
        scopes.append([])
        let (otherwise, end) = try list()
        scopes.removeLast()
        guard end?.keyword == "end" else { throw TemplateError(position: end?.position ?? endPosition, message: "expected {{end}}") }
        return .conditional(condition, then: then, otherwise: otherwise)
    }

    /// After `{{range`: `$k, $v :=` (optional), the pipeline, the body, `{{else}}`, `{{end}}`.
    private mutating func rangeNode(_ position: SourcePosition) throws(TemplateError) -> TemplateNode {
        var names: [String] = []
        let save = index
        while case .variable(let name)? = current?.kind {
            names.append(name)
            index += 1
            if case .comma? = current?.kind { index += 1 } else { break }
        }
        if case .declare? = current?.kind, !names.isEmpty { index += 1 } else { names = []; index = save }
        let source = try pipeline(allowDeclaration: false)
        try expectClose()
        scopes.append(Set(names))
        let (body, stop) = try list()
        scopes.removeLast()
        var otherwise: [TemplateNode] = []
        if stop?.keyword == "else" {
            try expectClose()
            let (rest, end) = try list()
            guard end?.keyword == "end" else { throw TemplateError(position: position, message: "missing {{end}}") }
            otherwise = rest
        } else if stop == nil {
            throw TemplateError(position: endPosition, message: "unexpected EOF: missing {{end}}")
        }
        let key = names.count == 2 ? names[0] : nil
        let value = names.count == 2 ? names[1] : names.first
        return .range(source, key: key, value: value, body: body, otherwise: otherwise)
    }

    private mutating func expectClose() throws(TemplateError) {
        guard let token = current else { throw TemplateError(position: endPosition, message: "unclosed action") }
        guard case .close = token.kind else { throw TemplateError(position: token.position, message: "unexpected \(describe(token)) in command") }
        index += 1
    }

    /// `[$x :=] command ['|' command]...`
    private mutating func pipeline(allowDeclaration: Bool) throws(TemplateError) -> TemplatePipeline {
        let start = current?.position ?? endPosition
        var declarations: [String] = []
        if allowDeclaration, case .variable(let name)? = current?.kind, index + 1 < tokens.count {
            if tokens[index + 1].kind == .declare || tokens[index + 1].kind == .assign {
                if tokens[index + 1].kind == .assign, !isDeclared(name) {
                    throw TemplateError(position: start, message: "undefined variable \"$\(name)\"")
                }
                declarations = [name]
                index += 2
            }
        }
        var commands: [TemplateCommand] = []
        repeat {
            if !commands.isEmpty { index += 1 }  // the pipe
            commands.append(try command())
        } while current?.kind == .pipe
        if commands.isEmpty || commands.contains(where: { $0.arguments.isEmpty }) {
            throw TemplateError(position: start, message: "missing value for command")
        }
        for name in declarations { scopes[scopes.count - 1].insert(name) }
        return TemplatePipeline(declarations: declarations, commands: commands, position: start)
    }

    private mutating func command() throws(TemplateError) -> TemplateCommand {
        let start = current?.position ?? endPosition
        var arguments: [TemplateOperand] = []
        while let token = current {
            switch token.kind {
            case .close, .pipe, .rightParen:
                return TemplateCommand(arguments: arguments, position: start)
            default:
                arguments.append(try operand())
            }
        }
        throw TemplateError(position: endPosition, message: "unclosed action")
    }

    private mutating func operand() throws(TemplateError) -> TemplateOperand {
        let token = tokens[index]
        index += 1
        switch token.kind {
        case .field(let path):
            return .field(path.isEmpty ? [] : path.split(separator: ".").map(String.init))
        case .variable(let path):
            let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard isDeclared(parts[0]) else {
                throw TemplateError(position: token.position, message: "undefined variable \"$\(parts[0])\"")
            }
            return .variable(parts[0], Array(parts.dropFirst()))
        case .string(let text):
            return .literal(.string(text))
        case .number(let text):
            guard let value = Self.number(text) else { throw TemplateError(position: token.position, message: "bad number syntax: \"\(text)\"") }
            return .literal(value)
        case .identifier(let name):
            switch name {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "nil": return .literal(.none)
            default:
                guard TemplateFunctions.names.contains(name) else {
                    let why = TemplateFunctions.unsupported.contains(name) ? " (not supported by kafka-health-monitor)" : ""
                    throw TemplateError(position: token.position, message: "function \"\(name)\" not defined\(why)")
                }
                return .function(name)
            }
        case .leftParen:
            let inner = try pipeline(allowDeclaration: false)
            guard case .rightParen? = current?.kind else {
                throw TemplateError(position: current?.position ?? endPosition, message: "unclosed left paren")
            }
            index += 1
            var fields: [String] = []
            if case .field(let path)? = current?.kind, !path.isEmpty {
                fields = path.split(separator: ".").map(String.init)
                index += 1
            }
            return .pipeline(inner, fields)
        default:
            throw TemplateError(position: token.position, message: "unexpected \(describe(token)) in operand")
        }
    }

    private func isDeclared(_ name: String) -> Bool { scopes.contains { $0.contains(name) } }

    private func describe(_ token: TemplateToken) -> String {
        switch token.kind {
        case .text(let text): return "\"\(text)\""
        case .open: return "\"{{\""
        case .close: return "\"}}\""
        case .identifier(let name): return "<\(name)>"
        case .field(let name): return "<.\(name)>"
        case .variable(let name): return "<$\(name)>"
        case .string(let text): return "\"\(text)\""
        case .number(let text): return "<\(text)>"
        case .pipe: return "<|>"
        case .leftParen: return "<(>"
        case .rightParen: return "<)>"
        case .declare: return "<:=>"
        case .assign: return "<=>"
        case .comma: return "<,>"
        }
    }

    /// A number literal as Go's template constants type it: integers without `.`/`e` are ints.
    static func number(_ text: String) -> TemplateValue? {
        let plain = text.replacingOccurrences(of: "_", with: "")
        if !plain.contains(where: { ".eEpP".contains($0) }) || plain.lowercased().hasPrefix("0x") {
            if let value = Int(plain) { return .int(value) }
            let sign = plain.hasPrefix("-") ? -1 : 1
            let digits = plain.trimmingCharacters(in: ["-", "+"])
            if digits.lowercased().hasPrefix("0x"), let value = Int(digits.dropFirst(2), radix: 16) { return .int(sign * value) }
            return nil
        }
        return Double(plain).map { .float($0) }
    }
}
