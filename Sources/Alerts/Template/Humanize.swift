import Foundation

/// Prometheus's `humanize*` template functions, digit for digit (Go's `%.4g`).
enum Humanize {
    static func humanize(_ value: Double) -> String {
        var v = value
        if v == 0 || v.isNaN || v.isInfinite { return GoFormat.g(v, precision: 4) }
        var prefix = ""
        if abs(v) >= 1 {
            for p in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
                if abs(v) < 1000 { break }
                prefix = p
                v /= 1000
            }
        } else {
            for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
                if abs(v) >= 1 { break }
                prefix = p
                v *= 1000
            }
        }
        return GoFormat.g(v, precision: 4) + prefix
    }

    static func humanize1024(_ value: Double) -> String {
        var v = value
        if abs(v) <= 1 || v.isNaN || v.isInfinite { return GoFormat.g(v, precision: 4) }
        var prefix = ""
        for p in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
            if abs(v) < 1024 { break }
            prefix = p
            v /= 1024
        }
        return GoFormat.g(v, precision: 4) + prefix
    }

    static func duration(_ value: Double) -> String {
        var v = value
        if v.isNaN || v.isInfinite { return GoFormat.g(v, precision: 4) }
        if v == 0 { return GoFormat.g(v, precision: 4) + "s" }
        if abs(v) >= 1 {
            var sign = ""
            if v < 0 { sign = "-"; v = -v }
            let whole = goInt64(v)
            let seconds = whole % 60, minutes = (whole / 60) % 60, hours = (whole / 3600) % 24, days = whole / 86400
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + GoFormat.g(v, precision: 4) + "s"
        }
        var prefix = ""
        for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(v) >= 1 { break }
            prefix = p
            v *= 1000
        }
        return GoFormat.g(v, precision: 4) + prefix + "s"
    }

    /// Go's `int64(v)` on amd64: truncation, and the "integer indefinite" `math.MinInt64` for
    /// NaN and values out of range (Swift would trap).
    static func goInt64(_ v: Double) -> Int64 {
        guard !v.isNaN, v < 9_223_372_036_854_775_808.0, v >= -9_223_372_036_854_775_808.0 else { return .min }
        return Int64(v)
    }

    /// Go's `time.Time.String()` of a Unix timestamp in seconds, in UTC.
    static func timestamp(_ value: Double) throws(TemplateFunctionError) -> String {
        if value.isNaN || value.isInfinite { return GoFormat.g(value, precision: 4) }
        guard abs(value) * 1e9 < 9.223372036854775807e18 else {
            throw TemplateFunctionError(message: "\(GoFormat.float(value)) cannot be represented as a nanoseconds timestamp since it overflows int64")
        }
        // Prometheus goes through model.Time: whole milliseconds, truncated toward zero.
        let milliseconds = goInt64(value * 1e9) / 1_000_000
        let seconds = Double((milliseconds - ((milliseconds % 1000) + 1000) % 1000) / 1000)
        let millis = Int(((milliseconds % 1000) + 1000) % 1000)
        let date = Date(timeIntervalSince1970: seconds)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        var text = String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        if millis > 0 {
            var fraction = String(format: "%03d", millis)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + " +0000 UTC"
    }
}

/// Go's `strconv.ParseFloat` for the spellings it accepts beyond Swift's (`Inf`, `+Inf`, `NaN`).
enum GoParseFloat {
    static func parse(_ text: String) -> Double? {
        switch text.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: return Double(text.replacingOccurrences(of: "_", with: ""))
        }
    }
}
