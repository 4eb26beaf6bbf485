/// A sample: a timestamp in milliseconds since the Unix epoch and a float value.
public struct Sample: Sendable, Equatable {
    public var timestamp: Int64
    public var value: Double

    public init(_ timestamp: Int64, _ value: Double) {
        self.timestamp = timestamp
        self.value = value
    }

    /// Bitwise equality, so that NaN payloads (the staleness marker among them) compare.
    public static func == (lhs: Sample, rhs: Sample) -> Bool {
        lhs.timestamp == rhs.timestamp && lhs.value.bitPattern == rhs.value.bitPattern
    }
}

/// Prometheus's staleness marker: a NaN with a specific payload, written when a series
/// stops being reported. The engine treats a series whose latest sample is stale as absent.
public enum StaleMarker {
    /// The bit pattern of Prometheus's `StaleNaN` (`0x7ff0000000000002`).
    public static let bitPattern: UInt64 = 0x7ff0_0000_0000_0002
    /// The staleness marker as a Double.
    public static let value = Double(bitPattern: bitPattern)

    /// Whether `value` is the staleness marker (a plain NaN is not).
    public static func isStale(_ value: Double) -> Bool {
        value.bitPattern == bitPattern
    }
}

/// A series and its samples within a requested time range, in time order.
public struct Series: Sendable, Equatable {
    public let labels: Labels
    public let samples: [Sample]

    public init(labels: Labels, samples: [Sample]) {
        self.labels = labels
        self.samples = samples
    }
}
