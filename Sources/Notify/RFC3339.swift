import Foundation

/// Timestamps as Alertmanager writes them (Go's RFC3339Nano in UTC: fractional seconds with
/// trailing zeros removed, e.g. `2026-11-25T21:54:38.1234Z`), and Go's zero time.
enum RFC3339 {
    /// Go's zero `time.Time`, which Alertmanager prints as the `endsAt` of firing alerts.
    static let zeroTime = "0001-01-01T00:00:00Z"

    /// Formats `date` in UTC with microsecond precision, trailing zeros trimmed.
    static func format(_ date: Date) -> String {
        var seconds = date.timeIntervalSince1970
        var micros = Int64((seconds * 1_000_000).rounded())
        seconds = Double(micros.floorDiv(1_000_000))
        micros = micros - Int64(seconds) * 1_000_000
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var out = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                         Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        if micros > 0 {
            var fraction = String(format: "%06lld", micros)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            out += "." + fraction
        }
        return out + "Z"
    }
}

extension Int64 {
    /// Division rounding towards negative infinity (for dates before 1970).
    fileprivate func floorDiv(_ divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
