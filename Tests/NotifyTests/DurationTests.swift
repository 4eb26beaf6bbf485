import Testing
@testable import Notify

@Suite("Prometheus duration syntax")
struct DurationTests {
    @Test("valid durations parse to milliseconds and print canonically", arguments: [
        ("0", 0, "0s"), ("500ms", 500, "500ms"), ("30s", 30_000, "30s"), ("5m", 300_000, "5m"),
        ("4h", 14_400_000, "4h"), ("1h30m", 5_400_000, "1h30m"), ("2d", 172_800_000, "2d"),
        ("1w", 604_800_000, "1w"), ("1y", 31_536_000_000, "1y"), ("1m30s500ms", 90_500, "1m30s500ms"),
        ("90s", 90_000, "1m30s"),
    ])
    func parses(text: String, milliseconds: Int64, canonical: String) throws {
        let duration = try PrometheusDuration(parsing: text)
        #expect(duration.milliseconds == milliseconds)
        #expect(duration.description == canonical)
    }

    @Test("invalid durations are rejected with a reason", arguments: [
        ("", "empty duration"), ("30", "missing unit (one of y, w, d, h, m, s, ms)"),
        ("5x", "unknown unit \"x\""), ("s", "expected a number before a unit"),
        ("30s5m", "units must appear once, largest first"), ("1m1m", "units must appear once, largest first"),
        ("-5s", "expected a number before a unit"), ("1.5s", "fractions are not allowed (write 1500ms, not 1.5s)"),
        ("99999999999999999y", "duration out of range"),
    ])
    func rejects(text: String, reason: String) {
        #expect(throws: DurationSyntaxError(text: text, reason: reason)) { try PrometheusDuration(parsing: text) }
    }
}
