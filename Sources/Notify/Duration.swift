import Foundation

/// A span of time written in Prometheus's duration syntax (`500ms`, `30s`, `5m`, `1h30m`, `2d`).
///
/// Config files use this syntax for every interval, so `30s` in a receiver means the same as
/// `30s` in `prometheus.yml`. Units, largest first and each at most once: `y` (365 d), `w`,
/// `d`, `h`, `m`, `s`, `ms`. `0` alone means zero.
public struct PrometheusDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The length in milliseconds (Prometheus's own resolution).
    public let milliseconds: Int64

    /// A duration of `milliseconds`.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// A duration of whole `seconds`.
    public static func seconds(_ seconds: Int64) -> PrometheusDuration {
        PrometheusDuration(milliseconds: seconds * 1000)
    }

    /// The length in seconds, for `Date` arithmetic.
    public var timeInterval: TimeInterval { Double(milliseconds) / 1000 }

    /// Parses `text`; throws `DurationSyntaxError` naming the offending text.
    public init(parsing text: String) throws {
        if text == "0" { self.init(milliseconds: 0); return }
        let units: [(String, Int64)] = [
            ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000),
            ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
        ]
        var rest = Substring(text)
        var total: Int64 = 0
        var nextUnit = 0
        guard !rest.isEmpty else { throw DurationSyntaxError(text: text, reason: "empty duration") }
        while !rest.isEmpty {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, let number = Int64(digits) else {
                throw DurationSyntaxError(text: text, reason: "expected a number before a unit")
            }
            rest = rest.dropFirst(digits.count)
            if rest.first == "." {
                throw DurationSyntaxError(text: text, reason: "fractions are not allowed (write 1500ms, not 1.5s)")
            }
            // "ms" must be tried before "m".
            let unitText = rest.hasPrefix("ms") ? "ms" : String(rest.prefix(while: { $0.isLetter }))
            guard let index = units.firstIndex(where: { $0.0 == unitText }) else {
                throw DurationSyntaxError(text: text, reason: unitText.isEmpty
                    ? "missing unit (one of y, w, d, h, m, s, ms)" : "unknown unit \"\(unitText)\"")
            }
            guard index >= nextUnit else {
                throw DurationSyntaxError(text: text, reason: "units must appear once, largest first")
            }
            nextUnit = index + 1
            let (product, overflow) = number.multipliedReportingOverflow(by: units[index].1)
            guard !overflow, total <= Int64.max - product else {
                throw DurationSyntaxError(text: text, reason: "duration out of range")
            }
            total += product
            rest = rest.dropFirst(unitText.count)
        }
        self.init(milliseconds: total)
    }

    /// Prometheus's canonical rendering (`1h30m`, `500ms`, `0s`).
    public var description: String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds
        var out = ""
        for (unit, size) in [("y", Int64(365 * 86_400_000)), ("w", 7 * 86_400_000), ("d", 86_400_000),
                             ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] where rest >= size {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        return out
    }

    public static func < (lhs: PrometheusDuration, rhs: PrometheusDuration) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }
}

extension PrometheusDuration: Decodable {
    /// Decodes from a string in Prometheus syntax, e.g. `group_wait: 30s`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch let error as DurationSyntaxError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }
}

/// A duration string that is not in Prometheus's syntax.
public struct DurationSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text as written.
    public let text: String
    /// What is wrong with it.
    public let reason: String
    public var description: String { "invalid duration \"\(text)\": \(reason)" }
}
