import Testing
@testable import Alerts

/// Templates print what Prometheus prints (expected values from Prometheus 2.42; the
/// conformance file alert-templates.test.yml checks the same against promtool).
@Suite struct TemplateTests {
    static let data = TemplateData(labels: ["__name__": "up", "instance": "kafka-1:9092", "job": "kafka"],
                                   externalLabels: ["cluster": "eu"], externalURL: "http://monitor", value: 1234567)

    @Test(arguments: [
        ("{{ $labels.instance }}", "kafka-1:9092"),
        ("{{ .Labels.job }}/{{ $labels.missing }}/", "kafka//"),
        ("{{ $value }} {{ .Value }}", "1.234567e+06 1.234567e+06"),
        ("{{ $value | humanize }}", "1.235M"),
        ("{{ humanize 0.000123 }} {{ humanize 0 }} {{ humanize -2500 }}", "123u 0 -2.5k"),
        ("{{ humanize1024 2048 }} {{ humanize1024 0.5 }}", "2ki 0.5"),
        // Go converts out-of-range floats to math.MinInt64 (amd64); Prometheus prints this.
        ("{{ humanizeDuration 1e21 }}", "-106751991167300d -15h -30m -8s"),
        ("{{ humanizeTimestamp 0.000001 }} {{ humanizeTimestamp 1.7e9 }}", "1970-01-01 00:00:00 +0000 UTC 2023-11-14 22:13:20 +0000 UTC"),
        ("{{ humanizePercentage 0.12345 }}", "12.35%"),
        ("{{ humanizeDuration 3725.5 }} {{ humanizeDuration 0.0125 }} {{ humanizeDuration 59.99 }}", "1h 2m 5s 12.5ms 59.99s"),
        ("{{ printf \"%.2f %d %s %5.1f|%-4d|\" 3.14159 42 \"x\" 2.25 7 }}", "3.14 42 x   2.2|7   |"),
        ("{{ printf \"%d\" 1.5 }} {{ printf \"%s\" }}", "%!d(float64=1.5) %!s(MISSING)"),
        ("{{ title \"broker offline\" }} {{ toUpper \"a\" }} {{ toLower \"B\" }}", "Broker Offline A b"),
        ("{{ if gt $value 1e6 }}big{{ else }}small{{ end }}", "big"),
        ("{{ if eq .Labels.job \"zk\" }}zk{{ else if ne .Labels.job \"x\" }}not x{{ end }}", "not x"),
        ("{{ range $k, $v := $externalLabels }}{{ $k }}={{ $v }}{{ end }} {{ $externalURL }}", "cluster=eu http://monitor"),
        ("a {{- \" b \" -}} c", "a b c"),
        ("{{ range $labels }}[{{ . }}]{{ end }}", "[up][kafka-1:9092][kafka]"),
        ("{{ print 1 2 \"a\" \"b\" 3 }}", "1 2ab3"),
        ("{{ $x := \"v\" }}{{ $x }}{{ len $labels }}", "v3"),
        ("{{ stripPort $labels.instance }} {{ index $labels \"job\" }}", "kafka-1 kafka"),
        ("{{ reReplaceAll \"(.*):.*\" \"$1\" $labels.instance }} {{ match \"kafka-.*\" $labels.instance }}", "kafka-1 true"),
    ])
    func expands(_ text: String, _ expected: String) throws {
        #expect(try Template.parse(text).expand(Self.data) == expected)
    }

    @Test(arguments: [
        ("{{ if true }}x", 1, 14, "unexpected EOF: missing {{end}}"),
        ("ok\n  {{ nope }}", 2, 6, "function \"nope\" not defined"),
        ("{{ $nope }}", 1, 4, "undefined variable \"$nope\""),
        ("{{ .Labels.x", 1, 1, "unclosed action"),
        ("{{ end }}", 1, 4, "unexpected {{end}}"),
        ("{{ \"open }}", 1, 4, "unterminated quoted string"),
    ])
    func parseErrorsArePositioned(_ text: String, _ line: Int, _ column: Int, _ message: String) {
        do throws(TemplateError) {
            _ = try Template.parse(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.position == SourcePosition(line: line, column: column))
            #expect(error.message == message)
        }
    }

    @Test func executionErrorsBecomePrometheusErrorText() throws {
        let template = try Template.parse("{{ if gt $value 10 }}x{{ end }}")
        #expect(template.expandOrError(Self.data) == "<error expanding template: error calling gt: incompatible types for comparison>")
    }
}
