/// Prometheus's duration syntax (`model.Duration`): `1h30m`, `500ms`, `2d`, `0`.
///
/// Units from largest to smallest, each at most once: `y w d h m s ms`. A year is 365 days,
/// a week 7 days. Values are kept in milliseconds, the unit of every timestamp here.
public enum PromDuration {
    private static let units: [(name: String, milliseconds: Int64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000),
        ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    /// Parses a duration, or returns nil when `text` is not one (the message says why).
    public static func parse(_ text: String) -> Result<Int64, DurationError> {
        if text == "0" { return .success(0) }
        if text.isEmpty { return .failure(DurationError(text: text, reason: "empty duration string")) }
        var total: Int64 = 0
        var nextUnit = 0
        var rest = Substring(text)
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let number = Int64(digits) else {
                return .failure(DurationError(text: text, reason: "not a valid duration string"))
            }
            rest = rest.dropFirst(digits.count)
            let letters = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(letters.count)
            guard let index = units.firstIndex(where: { $0.name == letters }), index >= nextUnit else {
                return .failure(DurationError(text: text, reason: "not a valid duration string"))
            }
            nextUnit = index + 1
            let (product, overflow) = number.multipliedReportingOverflow(by: units[index].milliseconds)
            let (sum, overflow2) = total.addingReportingOverflow(product)
            if overflow || overflow2 {
                return .failure(DurationError(text: text, reason: "duration out of range"))
            }
            total = sum
        }
        return .success(total)
    }

    /// Formats milliseconds as Prometheus prints a duration: `0s`, `1m30s`, `1d`, `1w2d`.
    public static func format(_ milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds.magnitude
        var out = milliseconds < 0 ? "-" : ""
        for unit in units where rest >= UInt64(unit.milliseconds) {
            let count = rest / UInt64(unit.milliseconds)
            rest %= UInt64(unit.milliseconds)
            out += "\(count)\(unit.name)"
        }
        return out
    }
}

extension PromDuration {
    /// Formats milliseconds as Go's `time.Duration.String()`: `0s`, `1m0s`, `1h30m0s`, `1.5s`, `500ms`.
    public static func goFormat(_ milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        let sign = milliseconds < 0 ? "-" : ""
        let total = milliseconds.magnitude
        if total < 1000 { return "\(sign)\(total)ms" }
        let hours = total / 3_600_000, minutes = total / 60_000 % 60, millis = total % 60_000
        var seconds = "\(millis / 1000)"
        if millis % 1000 != 0 {
            var fraction = String(millis % 1000)
            fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            seconds += "." + fraction
        }
        if hours > 0 { return "\(sign)\(hours)h\(minutes)m\(seconds)s" }
        if minutes > 0 { return "\(sign)\(minutes)m\(seconds)s" }
        return "\(sign)\(seconds)s"
    }
}

/// A string that is not a Prometheus duration.
public struct DurationError: Error, Sendable, CustomStringConvertible {
    /// The offending text.
    public let text: String
    /// Why it is not a duration.
    public let reason: String
    public var description: String { "\(reason) \"\(text)\"" }
}
