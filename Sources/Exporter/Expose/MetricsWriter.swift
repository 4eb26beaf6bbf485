/// Renders metric families in the Prometheus text format 0.0.4 or OpenMetrics 1.0.
///
/// Writes bytes into one buffer reserved up front, formats integral values without going
/// through `Double.description`, and escapes only when a value needs it: rendering runs on
/// every scrape, at hundreds of thousands of samples.
public enum MetricsWriter {
    /// The exposition of `families` in `format`.
    public static func render(_ families: [MetricFamily], format: ExpositionFormat) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(estimatedSize(families))
        for family in families { write(family, format: format, to: &buffer) }
        if format == .openMetrics { buffer.append(contentsOf: "# EOF\n".utf8) }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// A generous guess of the rendered size, so that the buffer rarely grows.
    static func estimatedSize(_ families: [MetricFamily]) -> Int {
        var size = 16
        for family in families {
            size += 2 * family.name.utf8.count + family.help.utf8.count + 40
            var perSample = family.name.utf8.count + 24
            for name in family.labelNames { perSample += name.utf8.count + 4 }
            if let sample = family.samples.first {
                for index in 0..<sample.labels.count { perSample += sample.labels[index].utf8.count + 8 }
            }
            size += perSample * family.samples.count
        }
        return size
    }

    static func write(_ family: MetricFamily, format: ExpositionFormat, to buffer: inout [UInt8]) {
        // OpenMetrics names a counter family without its `_total` suffix.
        let familyName = format == .openMetrics && family.kind == .counter
            ? String(family.name.dropLast("_total".count)) : family.name
        buffer.append(contentsOf: "# HELP ".utf8)
        buffer.append(contentsOf: familyName.utf8)
        buffer.append(UInt8(ascii: " "))
        appendEscaped(family.help, escapeQuote: format == .openMetrics, to: &buffer)
        buffer.append(contentsOf: "\n# TYPE ".utf8)
        buffer.append(contentsOf: familyName.utf8)
        buffer.append(UInt8(ascii: " "))
        buffer.append(contentsOf: family.kind.rawValue.utf8)
        buffer.append(UInt8(ascii: "\n"))
        let name = Array(family.name.utf8)
        let labelPrefixes = family.labelNames.enumerated().map { index, label in
            Array(((index == 0 ? "{" : ",") + label + "=\"").utf8)
        }
        for sample in family.samples {
            buffer.append(contentsOf: name)
            if !labelPrefixes.isEmpty {
                for index in labelPrefixes.indices {
                    buffer.append(contentsOf: labelPrefixes[index])
                    appendEscaped(sample.labels[index], escapeQuote: true, to: &buffer)
                    buffer.append(UInt8(ascii: "\""))
                }
                buffer.append(UInt8(ascii: "}"))
            }
            buffer.append(UInt8(ascii: " "))
            appendValue(sample.value, to: &buffer)
            buffer.append(UInt8(ascii: "\n"))
        }
    }

    /// Escapes backslash, newline and (for label values and OpenMetrics help) double quote.
    static func appendEscaped(_ text: String, escapeQuote: Bool, to buffer: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\"") where escapeQuote:
                buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            default: buffer.append(byte)
            }
        }
    }

    /// A sample value as both formats spell it: integers without a fraction, `+Inf`, `-Inf`,
    /// `NaN`, and otherwise the shortest round-tripping decimal.
    static func appendValue(_ value: Double, to buffer: inout [UInt8]) {
        if value.isNaN {
            buffer.append(contentsOf: "NaN".utf8)
        } else if value.isInfinite {
            buffer.append(contentsOf: (value < 0 ? "-Inf" : "+Inf").utf8)
        } else if value == value.rounded(), abs(value) < 1e15 {
            appendInteger(Int64(value), to: &buffer)
        } else {
            buffer.append(contentsOf: value.description.utf8)
        }
    }

    static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        if magnitude == 0 {
            buffer.append(UInt8(ascii: "0"))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            while magnitude > 0 {
                raw[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { buffer.append(raw[index]) }
        }
    }
}
