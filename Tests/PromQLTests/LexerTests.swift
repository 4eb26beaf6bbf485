import Testing
@testable import PromQL

/// The lexer reads numbers, durations and strings as Prometheus 2.42 does.
@Suite struct LexerTests {
    @Test(arguments: [
        ("1", 1.0), ("0x1F", 31), ("0X10", 16), (".5", 0.5), ("5.", 5), ("1e2", 100), ("1E-1", 0.1),
        ("1.5e+3", 1500), ("Inf", .infinity), ("inf", .infinity), ("007", 7),
    ])
    func numbers(_ source: String, _ value: Double) throws {
        let tokens = try Lexer.tokenize(source)
        #expect(tokens.map(\.kind) == [.number(value), .eof])
    }
}

extension LexerTests {
    /// Go's `ParseInt(s, 0, 64)` comes first in Prometheus, so a leading zero means octal.
    @Test(arguments: [("010", 8.0), ("09", 9), ("9223372036854775807", 9.223372036854775807e18), ("99999999999999999999", 1e20)])
    func integerLiterals(_ source: String, _ value: Double) throws {
        #expect(try Lexer.tokenize(source).first?.kind == .number(value))
    }
}
