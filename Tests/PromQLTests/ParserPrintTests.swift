import Testing
@testable import PromQL

/// `Expr.description` prints Prometheus's canonical form, and printing then parsing again
/// gives the same tree.
@Suite struct ParserPrintTests {
    @Test(arguments: [
        ("foo", "foo"),
        ("foo{}", "foo"),
        ("{__name__=\"foo\"}", "{__name__=\"foo\"}"),
        ("foo{a='b', c!~\"d|e\",}", "foo{a=\"b\", c!~\"d|e\"}"),
        ("foo offset 1h30m", "foo offset 1h30m"),
        ("foo[90m]", "foo[1h30m]"),
        ("foo[7d] offset 2w", "foo[1w] offset 2w"),
        ("rate(foo[5m])[30m:1m] offset 5m", "rate(foo[5m])[30m:1m] offset 5m"),
        ("max_over_time(foo[1h:])", "max_over_time(foo[1h:])"),
        ("sum(foo) by (a, b)", "sum by(a, b) (foo)"),
        ("sum without () (foo)", "sum without() (foo)"),
        ("topk by (a) (3, foo)", "topk by(a) (3, foo)"),
        ("count_values(\"v\", foo)", "count_values(\"v\", foo)"),
        ("a + on(b) group_left(c) d", "a + on(b) group_left(c) d"),
        ("a > bool ignoring(b) c", "a > bool ignoring(b) c"),
        ("a and on() b", "a and on() b"),
        ("-foo", "-foo"),
        ("- 1", "-1"),
        ("2 ^ 3 ^ 2", "2 ^ 3 ^ 2"),
        ("(1 + 2) * 3", "(1 + 2) * 3"),
        ("1e-7 + 1e21 + 1e20 + 0.0001", "1e-07 + 1e+21 + 100000000000000000000 + 0.0001"),
        ("NaN + Inf - -Inf", "NaN + +Inf - -Inf"),
        ("label_replace(foo, \"a\", \"$1\", \"b\", \"(.*)\\n\")", "label_replace(foo, \"a\", \"$1\", \"b\", \"(.*)\\n\")"),
        ("`raw\\n`", "\"raw\\\\n\""),
        ("time()", "time()"),
        ("foo offset 1m @ 300", "foo @ 300.000 offset 1m"),
        ("rate(foo[5m] @ 1.5)", "rate(foo[5m] @ 1.500)"),
        ("foo[5m:] @ end() offset 1m", "foo[5m:] @ end() offset 1m"),
        ("foo @ start()", "foo @ start()"),
        ("foo @ -60", "foo @ -60.000"),
        ("foo @ end()[5m]", "foo[5m] @ end()"),
        ("job:requests:rate5m{job=\"x\"}", "job:requests:rate5m{job=\"x\"}"),
        ("foo{on=\"x\", bool=\"y\", nan=\"z\"}", "foo{on=\"x\", bool=\"y\", nan=\"z\"}"),
    ])
    func printsCanonicalForm(_ source: String, _ printed: String) throws {
        let expr = try PromQLParser.parse(source)
        #expect(expr.description == printed)
        #expect(try PromQLParser.parse(expr.description).description == printed)
    }

    /// Precedence and associativity, shown by the tree's shape.
    @Test(arguments: [
        ("1 + 2 * 3", "1 + (2 * 3)"),
        ("1 * 2 + 3", "(1 * 2) + 3"),
        ("2 ^ 3 ^ 2", "2 ^ (3 ^ 2)"),
        ("1 - 2 - 3", "(1 - 2) - 3"),
        ("-a ^ 2", "-(a ^ 2)"),
        ("-a * 2", "(-a) * 2"),
        ("a or b and c", "a or (b and c)"),
        ("a and b unless c", "(a and b) unless c"),
        ("a > b + 1", "a > (b + 1)"),
        ("a == bool b or c", "(a == bool b) or c"),
        ("a % b atan2 c", "(a % b) atan2 c"),
    ])
    func precedence(_ source: String, _ grouped: String) throws {
        #expect(try PromQLParser.parse(source) == stripParens(try PromQLParser.parse(grouped)))
    }

    private func stripParens(_ expr: Expr) -> Expr {
        switch expr {
        case .paren(let inner): return stripParens(inner)
        case .unary(let negate, let inner): return .unary(negate: negate, stripParens(inner))
        case .binary(var binary):
            binary.lhs = stripParens(binary.lhs)
            binary.rhs = stripParens(binary.rhs)
            return .binary(binary)
        default: return expr
        }
    }

    @Test func maxLookbackAddsRangesOffsetsAndSubqueries() throws {
        let cases: [(String, Int64)] = [
            ("foo", 300_000),
            ("rate(foo[10m])", 600_000),
            ("foo offset 1h", 3_900_000),
            ("max_over_time(rate(foo[5m])[1h:1m] offset 10m)", 4_500_000),
            ("sum(foo) + rate(bar[30m])", 1_800_000),
            ("vector(1)", 0),
        ]
        for (source, lookback) in cases {
            #expect(try PromQLParser.parse(source).maxLookback() == lookback, "\(source)")
        }
    }
}
