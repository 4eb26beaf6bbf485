import Testing
@testable import TimeSeries

@Suite struct LabelsTests {
    @Test(arguments: [
        (Labels(["b": "2", "a": "1"]), Labels(["a": "1", "b": "2"]), false),
        (Labels(["a": "1"]), Labels(["a": "1", "b": "2"]), true),
        (Labels(["a": "1", "b": "2"]), Labels(["a": "2"]), true),
        (Labels(["a": "2"]), Labels(["b": "1"]), true),
    ])
    func sortsAsPrometheusCompare(left: Labels, right: Labels, less: Bool) {
        #expect((left < right) == less)
    }

    @Test func emptyValuesAreAbsent() {
        let labels = Labels(["__name__": "up", "job": ""])
        #expect(labels.count == 1)
        #expect(labels["job"] == nil)
        #expect(labels.setting("job", to: "x")["job"] == "x")
        #expect(labels.setting("job", to: "x").setting("job", to: "").count == 1)
    }

    @Test func printsAsPrometheus() {
        let labels = Labels(["__name__": "kafka_broker_online", "host": "a\"b", "broker_id": "1"])
        #expect(labels.description == #"kafka_broker_online{broker_id="1", host="a\"b"}"#)
    }

    @Test func stableHashIsFNV1a() {
        // FNV-1a 64 of the empty input is its offset basis.
        #expect(Labels().stableHash == 0xcbf2_9ce4_8422_2325)
        #expect(Labels(["a": "1"]).stableHash != Labels(["a": "2"]).stableHash)
    }

    @Test(arguments: [
        (LabelMatcher.Kind.equal, "a", "a", true), (.equal, "a", "", false),
        (.notEqual, "a", "b", true), (.regexMatch, "a|b", "b", true),
        (.regexMatch, "a", "ab", false), (.regexNoMatch, "a.*", "abc", false),
        (.regexMatch, ".*", "", true), (.regexMatch, ".+", "", false),
    ])
    func matchersAreAnchored(kind: LabelMatcher.Kind, pattern: String, value: String, matches: Bool) throws {
        #expect(try LabelMatcher(kind, "x", pattern).matches(value) == matches)
    }
}
