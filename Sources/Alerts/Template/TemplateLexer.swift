/// Tokens inside `{{ }}` and the text between actions.
struct TemplateToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case text(String)
        case open, close  // {{ and }}
        case identifier(String)  // functions and keywords
        case field(String)  // .Name ("" for the dot alone)
        case variable(String)  // $name ("" for $)
        case string(String), number(String), pipe, leftParen, rightParen, declare, assign, comma
    }

    let kind: Kind
    let position: SourcePosition
}

/// Splits template text into tokens, honouring `{{-` and `-}}` trim markers, and positions
/// every token by line and column.
struct TemplateLexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1
    private(set) var tokens: [TemplateToken] = []

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    static func tokenize(_ text: String) throws(TemplateError) -> [TemplateToken] {
        var lexer = TemplateLexer(text)
        try lexer.run()
        return lexer.tokens
    }

    private var position: SourcePosition { SourcePosition(line: line, column: column) }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance() {
        if scalars[index] == "\n" { line += 1; column = 1 } else { column += 1 }
        index += 1
    }

    private mutating func run() throws(TemplateError) {
        var text = ""
        var textStart = position
        while index < scalars.count {
            if peek() == "{", peek(1) == "{" {
                let trimLeft = peek(2) == "-" && (peek(3) == " " || peek(3) == "\t" || peek(3) == "\n")
                if trimLeft { while let last = text.unicodeScalars.last, last.properties.isWhitespace { text.unicodeScalars.removeLast() } }
                if !text.isEmpty { tokens.append(TemplateToken(kind: .text(text), position: textStart)) }
                text = ""
                let openPosition = position
                tokens.append(TemplateToken(kind: .open, position: openPosition))
                advance(); advance()
                if trimLeft { advance() }
                let trimRight = try action(openedAt: openPosition)
                if trimRight { while let next = peek(), next.properties.isWhitespace { advance() } }
                textStart = position
                continue
            }
            text.unicodeScalars.append(scalars[index])
            advance()
        }
        if !text.isEmpty { tokens.append(TemplateToken(kind: .text(text), position: textStart)) }
    }

    /// Lexes one action up to `}}`; returns whether it ended with a `-}}` trim marker.
    private mutating func action(openedAt start: SourcePosition) throws(TemplateError) -> Bool {
        while true {
            guard let c = peek() else { throw TemplateError(position: start, message: "unclosed action") }
            let here = position
            if c == " " || c == "\t" || c == "\n" || c == "\r" {
                if peek(1) == "-", peek(2) == "}", peek(3) == "}" {
                    advance(); advance(); advance(); advance()
                    tokens.append(TemplateToken(kind: .close, position: here))
                    return true
                }
                advance()
            } else if c == "}", peek(1) == "}" {
                advance(); advance()
                tokens.append(TemplateToken(kind: .close, position: here))
                return false
            } else if c == "|" { advance(); tokens.append(TemplateToken(kind: .pipe, position: here))
            } else if c == "(" { advance(); tokens.append(TemplateToken(kind: .leftParen, position: here))
            } else if c == ")" { advance(); tokens.append(TemplateToken(kind: .rightParen, position: here))
            } else if c == "," { advance(); tokens.append(TemplateToken(kind: .comma, position: here))
            } else if c == ":", peek(1) == "=" { advance(); advance(); tokens.append(TemplateToken(kind: .declare, position: here))
            } else if c == "=" { advance(); tokens.append(TemplateToken(kind: .assign, position: here))
            } else if c == "\"" || c == "`" { tokens.append(TemplateToken(kind: .string(try quoted(c)), position: here))
            } else if c == "." && !(peek(1).map(Self.isDigit) ?? false) {
                advance()
                tokens.append(TemplateToken(kind: .field(chain()), position: here))
            } else if c == "$" {
                advance()
                tokens.append(TemplateToken(kind: .variable(chain()), position: here))
            } else if Self.isDigit(c) || c == "-" || c == "+" || c == "." {
                var number = ""
                while let d = peek(), Self.isDigit(d) || "+-.eExXabcdefABCDEF_".unicodeScalars.contains(d) {
                    if (d == "-" || d == "+"), !number.isEmpty, !(number.hasSuffix("e") || number.hasSuffix("E")) { break }
                    number.unicodeScalars.append(d); advance()
                }
                tokens.append(TemplateToken(kind: .number(number), position: here))
            } else if Self.isWordStart(c) {
                tokens.append(TemplateToken(kind: .identifier(word()), position: here))
            } else {
                throw TemplateError(position: here, message: "unexpected \"\(c)\" in command")
            }
        }
    }

    private mutating func word() -> String {
        var out = ""
        while let c = peek(), Self.isWordStart(c) || Self.isDigit(c) { out.unicodeScalars.append(c); advance() }
        return out
    }

    /// A word followed by `.word` field accesses, as one token: `Labels.instance`.
    private mutating func chain() -> String {
        var out = word()
        while peek() == ".", let next = peek(1), Self.isWordStart(next) {
            advance()
            out += "." + word()
        }
        return out
    }

    private mutating func quoted(_ quote: Unicode.Scalar) throws(TemplateError) -> String {
        let start = position
        advance()
        var out = ""
        while let c = peek() {
            advance()
            if c == quote { return out }
            if c == "\n" && quote == "\"" { break }
            if c == "\\" && quote == "\"", let escaped = peek() {
                advance()
                switch escaped {
                case "n": out += "\n"
                case "t": out += "\t"
                case "\\": out += "\\"
                case "\"": out += "\""
                default: throw TemplateError(position: start, message: "invalid syntax in quoted string")
                }
                continue
            }
            out.unicodeScalars.append(c)
        }
        throw TemplateError(position: start, message: "unterminated quoted string")
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
    private static func isWordStart(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_"
    }
}
