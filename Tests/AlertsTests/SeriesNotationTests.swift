import Testing
import TimeSeries
@testable import Alerts

/// promtool's expanding notation and series descriptions (behaviour checked against promtool
/// in input-series-notation.test.yml).
@Suite struct SeriesNotationTests {
    static func render(_ steps: [SeriesValues.Step]) -> String {
        steps.map {
            switch $0 {
            case .omitted: return "_"
            case .value(let v): return StaleMarker.isStale(v) ? "stale" : GoFormat.float(v)
            }
        }.joined(separator: " ")
    }

    @Test(arguments: [
        ("1 2 3", "1 2 3"),
        ("1+1x3", "1 2 3 4"),
        ("10-2x2", "10 8 6"),
        ("5x2", "5 5 5"),
        ("_ _x2 stale", "_ _ _ stale"),
        ("-1.5e1+0.5x1", "-15 -14.5"),
        ("Inf -Inf", "+Inf -Inf"),
        ("0.1+0.1x2", "0.1 0.2 0.30000000000000004"),
    ])
    func expands(_ text: String, _ expected: String) throws {
        #expect(Self.render(try SeriesValues.expand(text)) == expected)
    }

    @Test(arguments: ["1+", "x3", "1+1xa", "abc"])
    func rejects(_ text: String) {
        #expect(throws: SeriesValuesError.self) { _ = try SeriesValues.expand(text) }
    }

    static let descriptions: [(String, Labels)] = [
        ("up", ["__name__": "up"]),
        ("up{job=\"a\", instance='b'}", ["__name__": "up", "job": "a", "instance": "b"]),
        ("{__name__=\"x\", a=\"q\\\"\"}", ["__name__": "x", "a": "q\""]),
        ("", Labels()),
        ("{}", Labels()),
    ]

    @Test(arguments: descriptions)
    func parsesSeriesDescriptions(_ text: String, _ expected: Labels) throws {
        #expect(try SeriesDescription.parse(text) == expected)
    }

    @Test(arguments: ["up{", "up{a=b}", "up{a=\"b\"", "up x"])
    func rejectsBadSeriesDescriptions(_ text: String) {
        #expect(throws: SeriesDescriptionError.self) { _ = try SeriesDescription.parse(text) }
    }

    @Test(arguments: [(Int64(0), "0s"), (60_000, "1m0s"), (5_430_500, "1h30m30.5s"), (1_500, "1.5s"), (250, "250ms")])
    func goDurations(_ milliseconds: Int64, _ expected: String) {
        #expect(PromDuration.goFormat(milliseconds) == expected)
    }

    @Test(arguments: [("0", Int64(0)), ("1m30s", 90_000), ("1h30m", 5_400_000), ("1d", 86_400_000), ("250ms", 250)])
    func durationsRoundTrip(_ text: String, _ milliseconds: Int64) throws {
        #expect(try PromDuration.parse(text).get() == milliseconds)
        #expect(PromDuration.format(milliseconds) == (text == "0" ? "0s" : text))
    }
}
