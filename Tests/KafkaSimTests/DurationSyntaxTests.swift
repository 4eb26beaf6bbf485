import Testing
@testable import KafkaSim

/// Durations in Prometheus's syntax, as flags and scenario files write them.
struct DurationSyntaxTests {
    @Test(arguments: [
        ("500ms", Duration.milliseconds(500)), ("10s", .seconds(10)), ("5m", .seconds(300)), ("1h", .seconds(3600)),
        ("1m30s", .seconds(90)), ("0s", .zero), ("2d", .seconds(172_800)), ("1w", .seconds(604_800)),
    ])
    func parses(text: String, expected: Duration) {
        #expect(DurationSyntax.parse(text) == expected)
    }

    @Test(arguments: ["", "10", "s", "1.5s", "-1s", "10 s", "5x", "99999999999999999999s", "9000000000000000s9000000000000000s"])
    func rejects(text: String) {
        #expect(DurationSyntax.parse(text) == nil)
    }
}
