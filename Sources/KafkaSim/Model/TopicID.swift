/// A Kafka topic id: a 128-bit UUID, sent raw in Metadata v10+.
public struct TopicID: Sendable, Hashable, CustomStringConvertible {
    /// The high and low 64 bits.
    public let high: UInt64, low: UInt64

    /// Creates an id from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// A random version-4 UUID, as Kafka makes them.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> TopicID {
        let high = (generator.next() as UInt64) & ~0xF000 | 0x4000
        let low = (generator.next() as UInt64) & ~(0xC000_0000_0000_0000) | 0x8000_0000_0000_0000
        return TopicID(high: high, low: low)
    }

    /// The canonical 8-4-4-4-12 hexadecimal form.
    public var description: String {
        let hex = String(high, radix: 16).leftPadded(to: 16) + String(low, radix: 16).leftPadded(to: 16)
        let chars = Array(hex)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }
        return groups.joined(separator: "-")
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
