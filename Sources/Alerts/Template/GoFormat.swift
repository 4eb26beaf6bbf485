import Foundation

/// Go's `fmt` and `strconv` float formatting, which Prometheus's templates and promtool's
/// messages use, so that `{{ $value }}` and `humanize` print exactly what Prometheus prints.
enum GoFormat {
    /// Decimal digits of `value` (no leading or trailing zeros) and the decimal point's place:
    /// value = 0.d1d2d3… × 10^point. `significant` nil means the shortest exact round trip.
    static func digits(_ value: Double, significant: Int?) -> (digits: [UInt8], point: Int) {
        let magnitude = abs(value)
        if magnitude == 0 { return ([], 1) }
        let text: String
        if let significant {
            text = String(format: "%.\(max(significant, 1) - 1)e", magnitude)
        } else {
            text = "\(magnitude)"
        }
        let parts = text.lowercased().split(separator: "e")
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        let integer = Array(mantissa[0].utf8), fraction = mantissa.count > 1 ? Array(mantissa[1].utf8) : []
        var all = (integer + fraction).map { $0 - 48 }
        var point = integer.count + exponent
        while let first = all.first, first == 0 { all.removeFirst(); point -= 1 }
        while let last = all.last, last == 0 { all.removeLast() }
        return (all, point)
    }

    /// Go's `%v` for a float64 (strconv `'g'`, shortest): `1`, `0.1`, `1e+06`, `NaN`, `+Inf`.
    static func float(_ value: Double) -> String { g(value, precision: nil) }

    /// Go's `%g` / `%.Ng`.
    static func g(_ value: Double, precision: Int?, upper: Bool = false) -> String {
        if let special = special(value) { return special }
        let (digits, point) = self.digits(value, significant: precision.map { $0 == 0 ? 1 : $0 })
        let sign = value < 0 || (value == 0 && value.sign == .minus) ? "-" : ""
        var eprec = precision.map { $0 == 0 ? 1 : $0 } ?? 6
        let count = max(digits.count, 1)
        if precision != nil, eprec > count, count >= point { eprec = count }
        let exponent = point - 1
        if digits.isEmpty { return sign + "0" }
        if exponent < -4 || exponent >= eprec {
            return sign + e(digits, point, decimals: count - 1, upper: upper)
        }
        return sign + f(digits, point, decimals: max(count - point, 0))
    }

    /// strconv's `'E'` shortest format, as promtool prints sample values: `9E+00`, `1.5E-01`.
    static func upperE(_ value: Double) -> String {
        if let special = special(value) { return special }
        let (digits, point) = self.digits(value, significant: nil)
        let sign = value.sign == .minus ? "-" : ""
        if digits.isEmpty { return sign + "0E+00" }
        return sign + e(digits, point, decimals: digits.count - 1, upper: true)
    }

    /// Go's `%.Nf`.
    static func fixed(_ value: Double, decimals: Int) -> String {
        if let special = special(value) { return special }
        return String(format: "%.\(decimals)f", value)
    }

    /// Go's `%.Ne`.
    static func exponential(_ value: Double, decimals: Int) -> String {
        if let special = special(value) { return special }
        let (digits, point) = self.digits(value, significant: decimals + 1)
        let sign = value.sign == .minus ? "-" : ""
        if digits.isEmpty { return sign + "0." + String(repeating: "0", count: decimals) + "e+00" }
        return sign + e(digits, point, decimals: decimals, upper: false)
    }

    private static func special(_ value: Double) -> String? {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        return nil
    }

    private static func e(_ digits: [UInt8], _ point: Int, decimals: Int, upper: Bool) -> String {
        var out = String(digits[0])
        if decimals > 0 {
            out += "."
            for index in 1...decimals { out += index < digits.count ? String(digits[index]) : "0" }
        }
        let exponent = point - 1
        out += upper ? "E" : "e"
        out += exponent < 0 ? "-" : "+"
        out += abs(exponent) < 10 ? "0\(abs(exponent))" : "\(abs(exponent))"
        return out
    }

    private static func f(_ digits: [UInt8], _ point: Int, decimals: Int) -> String {
        var out = ""
        if point > 0 {
            for index in 0..<point { out += index < digits.count ? String(digits[index]) : "0" }
        } else {
            out = "0"
        }
        if decimals > 0 {
            out += "."
            for index in point..<(point + decimals) { out += index >= 0 && index < digits.count ? String(digits[index]) : "0" }
        }
        return out
    }

    /// Go's `fmt.Sprint` of one template value.
    static func print(_ value: TemplateValue) -> String {
        switch value {
        case .string(let s): return s
        case .float(let f): return float(f)
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .map(let m): return "map[" + m.keys.sorted().map { "\($0):\(m[$0]!)" }.joined(separator: " ") + "]"
        case .list(let l): return "[" + l.map(print).joined(separator: " ") + "]"
        case .data: return "{}"
        case .none: return "<no value>"
        }
    }
}
