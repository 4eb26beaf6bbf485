/// Splits a PromQL expression into tokens. Works on UTF-8 bytes; never traps: anything it
/// cannot read becomes a `ParseError` at the offending position.
struct Lexer {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var lineStart = 0
    /// Inside `[...]` a colon separates a subquery's range and step; elsewhere it is part
    /// of a metric name (`job:requests:rate5m`).
    var inBrackets = false

    init(_ source: String) {
        bytes = Array(source.utf8)
    }

    /// All tokens of the source, ending with `.eof`.
    static func tokenize(_ source: String) throws(ParseError) -> [Token] {
        var lexer = Lexer(source)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .eof { return tokens }
        }
    }

    var position: SourcePosition {
        SourcePosition(offset: index, line: line, column: index - lineStart + 1)
    }

    func peek(_ ahead: Int = 0) -> UInt8? {
        index + ahead < bytes.count ? bytes[index + ahead] : nil
    }

    func text(from start: Int) -> String {
        String(decoding: bytes[start..<index], as: UTF8.self)
    }

    func error(_ message: String, at position: SourcePosition) -> ParseError {
        ParseError(position: position, message: message)
    }

    private mutating func skipSpaceAndComments() {
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "\n"):
                index += 1
                line += 1
                lineStart = index
            case UInt8(ascii: "#"):
                while let next = peek(), next != UInt8(ascii: "\n") { index += 1 }
            default:
                return
            }
        }
    }

    /// The next token.
    mutating func next() throws(ParseError) -> Token {
        skipSpaceAndComments()
        let start = position
        guard let byte = peek() else { return Token(kind: .eof, text: "", position: start) }
        if byte == UInt8(ascii: ":") && inBrackets {
            index += 1
            return Token(kind: .colon, text: ":", position: start)
        }
        if byte.isIdentifierStart { return identifierOrKeyword(start) }
        if byte.isDigit || (byte == UInt8(ascii: ".") && (peek(1)?.isDigit ?? false)) {
            return try numberOrDuration(start)
        }
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`") {
            return try string(start)
        }
        return try punctuation(start)
    }

    private mutating func identifierOrKeyword(_ start: SourcePosition) -> Token {
        while let byte = peek(), byte.isIdentifierStart || byte.isDigit { index += 1 }
        let word = text(from: start.offset)
        let lower = word.lowercased()
        if let keyword = Keyword(rawValue: lower) {
            return Token(kind: .keyword(keyword), text: word, position: start)
        }
        if lower == "inf" { return Token(kind: .number(.infinity), text: word, position: start) }
        if lower == "nan" { return Token(kind: .number(.nan), text: word, position: start) }
        return Token(kind: .identifier(word), text: word, position: start)
    }

    private mutating func numberOrDuration(_ start: SourcePosition) throws(ParseError) -> Token {
        if scanNumber() {
            let literal = text(from: start.offset)
            guard let value = Self.number(literal) else {
                throw error("error parsing number: \"\(literal)\" is out of range or malformed", at: start)
            }
            return Token(kind: .number(value), text: literal, position: start)
        }
        index = start.offset
        if let duration = scanDuration() {
            return Token(kind: .duration(duration), text: text(from: start.offset), position: start)
        }
        while let byte = peek(), byte.isIdentifierStart || byte.isDigit || byte == UInt8(ascii: ".") {
            index += 1
        }
        throw error("bad number or duration syntax: \"\(text(from: start.offset))\"", at: start)
    }

    /// Scans what Prometheus's lexer takes for a number: decimal with optional fraction and
    /// exponent, or `0x` hex. False when the digits run on into letters (maybe a duration).
    private mutating func scanNumber() -> Bool {
        if peek() == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            index += 2
            while let byte = peek(), byte.isHexDigit { index += 1 }
        } else {
            while let byte = peek(), byte.isDigit { index += 1 }
            if peek() == UInt8(ascii: ".") {
                index += 1
                while let byte = peek(), byte.isDigit { index += 1 }
            }
            if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
                var ahead = 1
                if let sign = peek(1), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { ahead = 2 }
                if peek(ahead)?.isDigit ?? false {
                    index += ahead
                    while let byte = peek(), byte.isDigit { index += 1 }
                }
            }
        }
        if let byte = peek(), byte.isAlphanumeric || byte == UInt8(ascii: ".") { return false }
        return true
    }

    /// Prometheus's `parseNumber`: Go's `ParseInt(s, 0, 64)` first (so `0x1f` is hex and
    /// `010` is octal 8), then `ParseFloat`, which refuses out-of-range values.
    static func number(_ literal: String) -> Double? {
        let lower = literal.lowercased()
        if lower.hasPrefix("0x") {
            return Int64(lower.dropFirst(2), radix: 16).map { Double($0) }
        }
        if lower.count > 1, lower.hasPrefix("0"), lower.allSatisfy({ $0 >= "0" && $0 <= "7" }) {
            if let octal = Int64(lower.dropFirst(), radix: 8) { return Double(octal) }
        }
        if let integer = Int64(lower) { return Double(integer) }
        guard let value = Double(lower), value.isFinite else { return nil }
        return value
    }

    /// A Prometheus duration (`1h30m`, `500ms`): units in decreasing order, each at most once.
    private mutating func scanDuration() -> Int64? {
        let units: [(String, Int64)] = [("y", 31_536_000_000), ("w", 604_800_000), ("d", 86_400_000),
                                        ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)]
        var total: Int64 = 0
        var lastUnit = -1
        var sawPart = false
        while let byte = peek(), byte.isDigit {
            var amount: Int64 = 0
            while let digit = peek(), digit.isDigit {
                let (times, o1) = amount.multipliedReportingOverflow(by: 10)
                let (plus, o2) = times.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
                if o1 || o2 { return nil }
                amount = plus
                index += 1
            }
            var unitText = ""
            while let letter = peek(), letter.isLetter { unitText.append(Character(UnicodeScalar(letter))); index += 1 }
            guard let unit = units.firstIndex(where: { $0.0 == unitText }), unit > lastUnit else { return nil }
            let (product, o3) = amount.multipliedReportingOverflow(by: units[unit].1)
            let (sum, o4) = total.addingReportingOverflow(product)
            if o3 || o4 { return nil }
            total = sum
            lastUnit = unit
            sawPart = true
        }
        if !sawPart { return nil }
        if let byte = peek(), byte.isAlphanumeric || byte == UInt8(ascii: ".") { return nil }
        return total
    }

    private mutating func punctuation(_ start: SourcePosition) throws(ParseError) -> Token {
        let byte = bytes[index]
        let second = peek(1)
        func single(_ kind: Token.Kind) -> Token {
            index += 1
            return Token(kind: kind, text: String(UnicodeScalar(byte)), position: start)
        }
        func double(_ kind: Token.Kind) -> Token {
            index += 2
            return Token(kind: kind, text: text(from: start.offset), position: start)
        }
        switch UnicodeScalar(byte) {
        case "(": return single(.leftParen)
        case ")": return single(.rightParen)
        case "{": return single(.leftBrace)
        case "}": return single(.rightBrace)
        case "[":
            inBrackets = true
            return single(.leftBracket)
        case "]":
            inBrackets = false
            return single(.rightBracket)
        case ",": return single(.comma)
        case ":": return single(.colon)
        case "@": return single(.at)
        case "+": return single(.op(.add))
        case "-": return single(.op(.sub))
        case "*": return single(.op(.mul))
        case "/": return single(.op(.div))
        case "%": return single(.op(.mod))
        case "^": return single(.op(.pow))
        case "=":
            if second == UInt8(ascii: "=") { return double(.op(.eql)) }
            if second == UInt8(ascii: "~") { return double(.regexMatch) }
            return single(.assign)
        case "!":
            if second == UInt8(ascii: "=") { return double(.op(.neq)) }
            if second == UInt8(ascii: "~") { return double(.regexNoMatch) }
            throw error("unexpected character after '!'" + (second.map { _ in ": " + quotedCharacter(at: index + 1) } ?? ""), at: start)
        case "<":
            return second == UInt8(ascii: "=") ? double(.op(.lte)) : single(.op(.lss))
        case ">":
            return second == UInt8(ascii: "=") ? double(.op(.gte)) : single(.op(.gtr))
        default:
            throw error("unexpected character: \(quotedCharacter(at: start.offset))", at: start)
        }
    }

    func quotedCharacter(at offset: Int) -> String {
        var end = offset + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let character = String(decoding: bytes[offset..<end], as: UTF8.self)
        return "'" + character + "'"
    }
}

extension UInt8 {
    var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    var isLetter: Bool { (self | 0x20) >= UInt8(ascii: "a") && (self | 0x20) <= UInt8(ascii: "z") }
    var isHexDigit: Bool { isDigit || ((self | 0x20) >= UInt8(ascii: "a") && (self | 0x20) <= UInt8(ascii: "f")) }
    /// Go's `isAlphaNumeric` in Prometheus's lexer: letter, digit or underscore.
    var isAlphanumeric: Bool { isLetter || isDigit || self == UInt8(ascii: "_") }
    var isIdentifierStart: Bool { isLetter || self == UInt8(ascii: "_") || self == UInt8(ascii: ":") }
}
