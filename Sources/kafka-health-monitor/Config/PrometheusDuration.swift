/// Prometheus's duration syntax: one or more `<number><unit>` pairs, units from largest to
/// smallest, each at most once: `y w d h m s ms` (`1h30m`, `500ms`, `30s`).
enum PrometheusDuration {
    private static let units: [(String, Int64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000), ("h", 3_600_000),
        ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// The duration `text` spells, or nil when it is not a valid Prometheus duration.
    static func parse(_ text: String) -> Duration? {
        guard !text.isEmpty else { return nil }
        if text == "0" { return .zero }
        var rest = Substring(text)
        var total: Int64 = 0
        var lastUnit = -1
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let number = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let letters = rest.prefix { $0.isASCII && $0.isLetter }
            guard let unit = units.firstIndex(where: { $0.0 == letters }), unit > lastUnit else { return nil }
            rest = rest.dropFirst(letters.count)
            lastUnit = unit
            let (product, overflow) = number.multipliedReportingOverflow(by: units[unit].1)
            guard !overflow else { return nil }
            total += product
        }
        return .milliseconds(total)
    }

    /// `30s`, `1m30s`, `500ms`: the shortest spelling, for messages and the status page.
    static func format(_ duration: Duration) -> String {
        var remaining = Int64(duration / .milliseconds(1))
        if remaining == 0 { return "0s" }
        var out = ""
        for (name, size) in units where remaining >= size {
            out += "\(remaining / size)\(name)"
            remaining %= size
        }
        return out
    }
}
