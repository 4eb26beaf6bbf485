import Foundation
import Testing
@testable import Notify

@Suite("Alert identity and timestamps")
struct NotifyAlertTests {
    @Test("FNV-1a 64 matches the reference vectors")
    func fnvVectors() {
        for (input, expected): (String, UInt64) in [("", 0xcbf2_9ce4_8422_2325), ("a", 0xaf63_dc4c_8601_ec8c),
                                                     ("foobar", 0x8594_4171_f739_67e8)] {
            var hash = FNV1a64()
            hash.add(input)
            #expect(hash.value == expected, "\(input)")
        }
    }

    @Test("the fingerprint hashes sorted names and values, each followed by 0xff")
    func fingerprintLayout() {
        var hash = FNV1a64()
        for part in ["a", "1", "b", "2"] { hash.add(part); hash.add(byte: 0xff) }
        #expect(NotifyAlert.fingerprint(of: ["b": "2", "a": "1"]) == hash.value)
        #expect(NotifyAlert.fingerprint(of: [:]) == 0xcbf2_9ce4_8422_2325)
        #expect(NotifyAlert.hex(0xab) == "00000000000000ab")
    }

    @Test("the fingerprint tells label sets apart even when concatenations agree")
    func fingerprintSeparates() {
        #expect(NotifyAlert.fingerprint(of: ["a": "bc"]) != NotifyAlert.fingerprint(of: ["ab": "c"]))
    }

    @Test("an alert is resolved once its endsAt is not in the future")
    func resolution() {
        #expect(!alert("A").isResolved(at: at(100)))
        #expect(!alert("A", resolvedAt: 50).isResolved(at: at(49)))
        #expect(alert("A", resolvedAt: 50).isResolved(at: at(50)))
    }

    @Test("timestamps are RFC 3339 UTC with trimmed fractional seconds", arguments: [
        (0.0, "1970-01-01T00:00:00Z"), (1_800_000_000.5, "2027-01-15T08:00:00.5Z"),
        (1_800_000_000.123456, "2027-01-15T08:00:00.123456Z"), (-1.25, "1969-12-31T23:59:58.75Z"),
    ])
    func rfc3339(seconds: Double, text: String) {
        #expect(RFC3339.format(Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test("group keys and label sets print as Alertmanager's")
    func labelSets() {
        #expect(labelSetString([:]) == "{}")
        #expect(labelSetString(["b": "x\"y", "a": "1"]) == "{a=\"1\", b=\"x\\\"y\"}")
    }
}
