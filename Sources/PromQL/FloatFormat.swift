/// Go's float formatting, as Prometheus prints numbers: `%v` (shortest, exponent outside
/// 1e-4..1e21) for expressions, and `'f', -1` (shortest, never an exponent) for
/// `count_values` labels. Also Go's `%q` string quoting.
public enum FloatFormat {
    /// The shortest round-tripping decimal digits of `value` and its decimal exponent:
    /// value = 0.d1d2d3… × 10^exponent.
    private static func digits(_ value: Double) -> (digits: [UInt8], exponent: Int) {
        let text = "\(value.magnitude)"              // Swift prints the shortest round-trip form
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            mantissa = text[..<e]
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integer = Array(parts[0].utf8)
        let fraction = parts.count > 1 ? Array(parts[1].utf8) : []
        var all = integer + fraction
        var pointAt = integer.count + exponent
        while let first = all.first, first == UInt8(ascii: "0"), all.count > 1 {
            all.removeFirst()
            pointAt -= 1
        }
        while let last = all.last, last == UInt8(ascii: "0"), all.count > 1 { all.removeLast() }
        if all == [UInt8(ascii: "0")] { return ([UInt8(ascii: "0")], 1) }
        return (all, pointAt)
    }

    private static func special(_ value: Double) -> String? {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return nil
    }

    /// Go's `strconv.FormatFloat(value, 'f', -1, 64)`.
    public static func fixed(_ value: Double) -> String {
        if let special = special(value) { return special }
        let (digits, point) = digits(value)
        let sign = value.sign == .minus && value != 0 ? "-" : (value == 0 && value.sign == .minus ? "-" : "")
        var out = ""
        if point <= 0 {
            out = "0." + String(repeating: "0", count: -point) + String(decoding: digits, as: UTF8.self)
        } else if point >= digits.count {
            out = String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: point - digits.count)
        } else {
            out = String(decoding: digits[..<point], as: UTF8.self) + "." + String(decoding: digits[point...], as: UTF8.self)
        }
        return sign + out
    }

    /// Go's `fmt.Sprint(value)` (`%v`): shortest digits, exponent form when the decimal
    /// exponent is below -4 or at least 21.
    public static func shortest(_ value: Double) -> String {
        if let special = special(value) { return special }
        let (digits, point) = digits(value)
        let exponent = point - 1
        guard exponent < -4 || exponent >= 21 else { return fixed(value) }
        let sign = value.sign == .minus ? "-" : ""
        var mantissa = String(decoding: digits[..<1], as: UTF8.self)
        if digits.count > 1 { mantissa += "." + String(decoding: digits[1...], as: UTF8.self) }
        let magnitude = abs(exponent)
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + "\(magnitude)"
    }

    /// Go's `%q`: a double-quoted string with `\"`, `\\` and control characters escaped.
    public static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{0B}": out += "\\v"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Prometheus's duration format (`model.Duration.String`): `1h30m`, `5m`, `1s500ms`, `0s`.
public enum DurationFormat {
    /// Formats a duration given in milliseconds.
    public static func format(_ milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds.magnitude
        var out = milliseconds < 0 ? "-" : ""
        let units: [(String, UInt64)] = [("y", 31_536_000_000), ("w", 604_800_000), ("d", 86_400_000),
                                         ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)]
        // Years and weeks only when they divide exactly: `90d` reads better than `12w6d`.
        for (unit, size) in units where rest >= size && (rest % size == 0 || (unit != "y" && unit != "w")) {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        return out
    }
}
