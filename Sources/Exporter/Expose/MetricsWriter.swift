/// Renders metric families in the Prometheus text format 0.0.4 or OpenMetrics 1.0.
///
/// Writes into one raw buffer reserved up front, copies names and label values in runs,
/// formats integral values without going through `Double.description`, and escapes only
/// values that need it: rendering runs on every scrape, at hundreds of thousands of samples.
public enum MetricsWriter {
    /// The exposition of `families` in `format`.
    public static func render(_ families: [MetricFamily], format: ExpositionFormat) -> String {
        withRendered(families, format: format) { String(decoding: $0, as: UTF8.self) }
    }

    /// Lends the exposition's UTF-8 bytes to `body` (valid only inside it): for the HTTP
    /// response, which copies them once into its own buffer, skipping a `String`.
    public static func withRendered<T>(_ families: [MetricFamily], format: ExpositionFormat,
                                       _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        var buffer = ExpositionBuffer(capacity: estimatedSize(families))
        for family in families { write(family, format: format, to: &buffer) }
        if format == .openMetrics { buffer.append("# EOF\n") }
        return try buffer.withBytes(body)
    }

    /// A generous guess of the rendered size, so that the buffer rarely grows.
    static func estimatedSize(_ families: [MetricFamily]) -> Int {
        var size = 16
        for family in families {
            size += 2 * family.name.utf8.count + family.help.utf8.count + 40
            switch family.storage {
            case .rows(let rows):
                var perSample = family.name.utf8.count + 24
                for name in family.labelNames { perSample += name.utf8.count + 4 }
                if let sample = rows.first {
                    for index in 0..<sample.labels.count { perSample += sample.labels[index].utf8.count + 8 }
                }
                size += perSample * rows.count
            case .partitions(let columns):
                for column in columns {
                    size += (family.name.utf8.count + column.topic.utf8.count + 48) * column.values.count
                }
            }
        }
        return size
    }

    static func write(_ family: MetricFamily, format: ExpositionFormat, to buffer: inout ExpositionBuffer) {
        // OpenMetrics names a counter family without its `_total` suffix.
        let familyName = format == .openMetrics && family.kind == .counter
            ? String(family.name.dropLast("_total".count)) : family.name
        buffer.append("# HELP ")
        buffer.append(familyName)
        buffer.append(UInt8(ascii: " "))
        buffer.appendEscaped(family.help, quote: format == .openMetrics)
        buffer.append("\n# TYPE ")
        buffer.append(familyName)
        buffer.append(UInt8(ascii: " "))
        buffer.append(family.kind.rawValue)
        buffer.append(UInt8(ascii: "\n"))
        switch family.storage {
        case .rows(let rows): writeRows(rows, of: family, to: &buffer)
        case .partitions(let columns): writeColumns(columns, of: family, to: &buffer)
        }
    }

    static func writeRows(_ rows: [MetricSample], of family: MetricFamily, to buffer: inout ExpositionBuffer) {
        let name = Array(family.name.utf8)
        let labelPrefixes = family.labelNames.enumerated().map { index, label in
            Array(((index == 0 ? "{" : "\",") + label + "=\"").utf8)
        }
        let labelsEnd = Array("\"} ".utf8)
        for sample in rows {
            buffer.append(name)
            if labelPrefixes.isEmpty {
                buffer.append(UInt8(ascii: " "))
            } else {
                for index in labelPrefixes.indices {
                    buffer.append(labelPrefixes[index])
                    buffer.appendEscaped(sample.labels[index], quote: true)
                }
                buffer.append(labelsEnd)
            }
            appendValue(sample.value, to: &buffer)
            buffer.append(UInt8(ascii: "\n"))
        }
    }

    /// `name{topic="T",partition="N"} V` per present partition, the prefix built once per topic.
    static func writeColumns(_ columns: [PartitionColumn], of family: MetricFamily, to buffer: inout ExpositionBuffer) {
        let end = Array("\"} ".utf8)
        for column in columns {
            var prefix = ExpositionBuffer(capacity: family.name.utf8.count + column.topic.utf8.count + 32)
            prefix.append(family.name)
            prefix.append("{topic=\"")
            prefix.appendEscaped(column.topic, quote: true)
            prefix.append("\",partition=\"")
            prefix.withBytes { prefixBytes in
                for index in column.values.indices where column.present[index] {
                    buffer.append(prefixBytes)
                    buffer.appendInteger(Int64(index))
                    buffer.append(end)
                    appendValue(column.values[index], to: &buffer)
                    buffer.append(UInt8(ascii: "\n"))
                }
            }
        }
    }

    /// A sample value as both formats spell it: integers without a fraction, `+Inf`, `-Inf`,
    /// `NaN`, and otherwise the shortest round-tripping decimal.
    static func appendValue(_ value: Double, to buffer: inout ExpositionBuffer) {
        if value.isNaN {
            buffer.append("NaN")
        } else if value.isInfinite {
            buffer.append(value < 0 ? "-Inf" : "+Inf")
        } else if value == value.rounded(), abs(value) < 1e15 {
            buffer.appendInteger(Int64(value))
        } else {
            buffer.append(value.description)
        }
    }

    /// A sample value spelled as the exposition spells it (for the status page and logs).
    public static func format(_ value: Double) -> String {
        var buffer = ExpositionBuffer(capacity: 32)
        appendValue(value, to: &buffer)
        return buffer.string()
    }
}
