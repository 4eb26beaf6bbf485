import Testing
@testable import PromQL

/// Bad expressions give a positioned error (1-based line:column) whose message follows
/// Prometheus 2.42's wording where it matters.
@Suite struct ParserErrorTests {
    @Test(arguments: [
        ("sum(", "1:5: unclosed left parenthesis"),
        ("foo{", "1:5: unexpected end of input inside braces"),
        ("foo{a=}", "1:7: unexpected \"}\" in label matching, expected string"),
        ("foo[5m", "1:7: unclosed left bracket"),
        ("foo[5]", "1:5: missing unit character in duration"),
        ("foo offset", "1:11: unexpected end of input in offset, expected duration"),
        ("1 +", "1:4: unexpected end of input"),
        ("(1", "1:3: unclosed left parenthesis"),
        (")", "1:1: unexpected right parenthesis ')'"),
        ("foo bar", "1:5: unexpected identifier \"bar\""),
        ("{}", "1:1: vector selector must contain at least one non-empty matcher"),
        ("{a=\"\"}", "1:1: vector selector must contain at least one non-empty matcher"),
        ("foo{__name__=\"bar\"}", "1:1: metric name must not be set twice: \"foo\" or \"bar\""),
        ("rate(foo)", "1:6: expected type range vector in call to function \"rate\", got instant vector"),
        ("rate(foo[5m], 1)", "1:1: expected 1 argument(s) in call to \"rate\", got 2"),
        ("nonexistent(foo)", "1:1: unknown function with name \"nonexistent\""),
        ("sort_by_label(foo, \"a\")", "1:1: function \"sort_by_label\" is not supported (it is newer than Prometheus 2.42)"),
        ("limitk(2, foo)", "1:1: function \"limitk\" is not supported (it is newer than Prometheus 2.42)"),
        ("histogram_fraction(0, foo)", "1:1: expected 3 argument(s) in call to \"histogram_fraction\", got 2"),
        ("(foo) @ 100", "1:1: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
        ("foo @ 1 @ 2", "1:1: @ <timestamp> may not be set multiple times"),
        ("foo @ 1 [5m]", "1:9: no @ modifiers allowed before range"),
        ("foo @ Inf", "1:1: timestamp out of bounds for @ modifier: +Inf"),
        ("foo @ bar()", "1:7: unexpected identifier \"bar\" in @, expected timestamp"),
        ("1 == 1", "1:3: comparisons between scalars must use BOOL modifier"),
        ("1 and foo", "1:3: set operator \"and\" not allowed in binary scalar expression"),
        ("foo + bool foo", "1:5: bool modifier can only be used on comparison operators"),
        ("foo and on(a) group_left foo", "1:5: no grouping allowed for \"and\" operation"),
        ("foo + on(a) group_left(a) foo", "1:5: label \"a\" must not occur in ON and GROUP clause at once"),
        ("sum(foo) by (a) by (b)", "1:17: unexpected <by>"),
        ("topk(foo)", "1:1: wrong number of arguments for aggregate expression provided, expected 2, got 1"),
        ("count_values(1, foo)", "1:14: expected type string in aggregation parameter, got scalar"),
        ("-\"a\"", "1:1: unary expression only allowed on expressions of type scalar or instant vector, got \"string\""),
        ("\"a\" + 1", "1:1: binary expression must contain only scalar and instant vector types"),
        ("foo[5m] + 1", "1:1: binary expression must contain only scalar and instant vector types"),
        ("(foo)[5m]", "1:6: ranges only allowed for vector selectors"),
        ("foo offset 5m offset 1m", "1:15: offset may not be set multiple times"),
        ("rate(foo[5m])[5m]", "1:14: ranges only allowed for vector selectors"),
        ("1[5m:]", "1:1: subquery is only allowed on instant vector, got scalar in \"1\" instead"),
        ("sum by (a b) (foo)", "1:11: unexpected identifier \"b\" in grouping, expected \",\" or \")\""),
        ("foo{a=\"b\" c=\"d\"}", "1:11: unexpected identifier \"c\" in label matching, expected \",\" or \"}\""),
        ("\"unterminated", "1:1: unterminated quoted string"),
        ("'a\\qb'", "1:3: unknown escape sequence 'q'"),
        ("foo !bar", "1:5: unexpected character after '!': 'b'"),
        ("foo{a=\"b\"} 5m", "1:12: unexpected duration \"5m\""),
        ("1 + * 2", "1:5: unexpected <op:*>"),
        ("abs()", "1:1: expected 1 argument(s) in call to \"abs\", got 0"),
        ("label_join(foo)", "1:1: expected at least 3 argument(s) in call to \"label_join\", got 1"),
        ("round(foo, 1, 2)", "1:1: expected at most 2 argument(s) in call to \"round\", got 3"),
        ("foo offset -5m[1m]", "1:15: no offset modifiers allowed before range"),
        ("foo{a=\"\\xZZ\"}", "1:8: illegal character in escape sequence"),
        ("1ee", "1:1: bad number or duration syntax: \"1ee\""),
        ("1e400", "1:1: error parsing number: \"1e400\" is out of range or malformed"),
        ("5m", "1:1: unexpected duration \"5m\""),
        ("foo ~ bar", "1:5: unexpected character: '~'"),
        ("sum(foo)\n  + on(a) group_left", "2:21: unexpected end of input"),
        ("rate(\n  foo[5m]\n  offset 1m\n  [", "4:4: unexpected end of input in range, expected duration"),
        ("foo{a=\"é\", b=~\"(\"}", "1:16: invalid regular expression"),
        ("foo{a=~\"x++\"}", "1:8: error parsing regexp: invalid nested repetition operator: `++`"),
        ("foo{a!~\"(?=x)\"}", "1:8: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
        ("foo{a=~\"(a)\\\\1\"}", "1:8: error parsing regexp: invalid escape sequence: `\\1`"),
        ("foo{a=~\"[(?=]x{2}?\"}", ""),
        ("# only a comment", "1:17: unexpected end of input"),
        ("sum by (foo:bar) (x)", "1:9: unexpected identifier \"foo:bar\" in grouping"),
        ("offset", "1:1: unexpected <offset>"),
        ("x[1m:1s:1s]", "1:8: unexpected \":\" in subquery"),
        ("x + on(a) group_left(b) y + on(a) group_right z * w", ""),
    ])
    func reportsPositionedError(_ source: String, _ expected: String) {
        do {
            let expr = try PromQLParser.parse(source)
            #expect(expected.isEmpty, "parsed as \(expr)")
        } catch {
            #expect(!expected.isEmpty, "\(error)")
            #expect(error.description.hasPrefix(expected), "\(error)")
        }
    }
}
