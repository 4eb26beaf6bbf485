/// String literals: `"…"` and `'…'` with Go's escapes, and raw `` `…` ``.
extension Lexer {
    mutating func string(_ start: SourcePosition) throws(ParseError) -> Token {
        let quote = bytes[index]
        index += 1
        var decoded: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw error(quote == UInt8(ascii: "`") ? "unterminated raw string" : "unterminated quoted string", at: start)
            }
            if byte == quote {
                index += 1
                break
            }
            if quote == UInt8(ascii: "`") {
                if byte == UInt8(ascii: "\n") { line += 1; lineStart = index + 1 }
                decoded.append(byte)
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\n") { throw error("unterminated quoted string", at: start) }
            if byte == UInt8(ascii: "\\") {
                try escape(quote: quote, into: &decoded)
            } else {
                decoded.append(byte)
                index += 1
            }
        }
        guard let value = String(validating: decoded, as: UTF8.self) else {
            throw error("invalid UTF-8 in string literal", at: start)
        }
        return Token(kind: .string(value), text: text(from: start.offset), position: start)
    }

    private mutating func escape(quote: UInt8, into out: inout [UInt8]) throws(ParseError) {
        let escapeStart = position
        index += 1
        guard let byte = peek() else { throw error("unterminated quoted string", at: escapeStart) }
        index += 1
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "a"): 7, UInt8(ascii: "b"): 8, UInt8(ascii: "f"): 12, UInt8(ascii: "n"): 10,
            UInt8(ascii: "r"): 13, UInt8(ascii: "t"): 9, UInt8(ascii: "v"): 11, UInt8(ascii: "\\"): 92,
        ]
        if let value = simple[byte] { out.append(value); return }
        if byte == quote { out.append(quote); return }
        switch UnicodeScalar(byte) {
        case "0"..."7":
            index -= 1
            let value = try digits(count: 3, radix: 8, at: escapeStart)
            guard value <= 255 else { throw error("octal escape value > 255: \(value)", at: escapeStart) }
            out.append(UInt8(value))
        case "x":
            out.append(UInt8(try digits(count: 2, radix: 16, at: escapeStart)))
        case "u", "U":
            let value = try digits(count: byte == UInt8(ascii: "u") ? 4 : 8, radix: 16, at: escapeStart)
            guard let scalar = UnicodeScalar(value) else {
                throw error("escape sequence is an invalid Unicode code point", at: escapeStart)
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw error("unknown escape sequence \(quotedCharacter(at: index - 1))", at: escapeStart)
        }
    }

    private mutating func digits(count: Int, radix: UInt32, at start: SourcePosition) throws(ParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let byte = peek(), let digit = UInt32(String(UnicodeScalar(byte)), radix: Int(radix)) else {
                throw error("illegal character in escape sequence", at: start)
            }
            value = value &* radix &+ digit
            index += 1
        }
        return value
    }
}
