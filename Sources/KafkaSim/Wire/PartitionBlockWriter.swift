import NIOCore

/// Writes a topic's partitions (the bulk of a large Metadata response) in one pass through a
/// raw pointer: one capacity check per topic instead of one per integer. Same bytes as the
/// field-by-field writers, per the schema: error, index, leader, epoch (v7+), replicas, ISR,
/// offline replicas (v5+), tagged fields (v9+).
enum PartitionBlockWriter {
    static func write(_ partitions: [PartitionState], alive: [Bool], version: Int16, flexible: Bool,
                      into buffer: inout ByteBuffer) {
        // An upper bound: 14 fixed bytes, three counts of ≤ 5 bytes, 4 bytes a broker id
        // (replicas + ISR + offline ≤ 3 × replicas), 1 byte of tags.
        var bound = 0
        for partition in partitions { bound += 30 + 12 * partition.replicas.count + 4 * partition.isr.count }
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { raw in
            var cursor = Cursor(raw: raw)
            for (index, partition) in partitions.enumerated() {
                cursor.put(partition.leader == -1 ? KafkaErrorCode.leaderNotAvailable.rawValue : 0)
                cursor.put(Int32(index))
                cursor.put(partition.leader)
                if version >= 7 { cursor.put(partition.leaderEpoch) }
                cursor.putCount(partition.replicas.count, compact: flexible)
                for replica in partition.replicas { cursor.put(replica) }
                cursor.putCount(partition.isr.count, compact: flexible)
                for member in partition.isr { cursor.put(member) }
                if version >= 5 {
                    var offline = 0
                    for replica in partition.replicas where !alive[Int(replica)] { offline += 1 }
                    cursor.putCount(offline, compact: flexible)
                    for replica in partition.replicas where !alive[Int(replica)] { cursor.put(replica) }
                }
                if flexible { cursor.putByte(0) }
            }
            precondition(cursor.offset <= bound, "partition block bound too small")
            return cursor.offset
        }
    }

    /// A write position in raw memory; big-endian, unaligned stores.
    private struct Cursor {
        let raw: UnsafeMutableRawBufferPointer
        var offset = 0

        init(raw: UnsafeMutableRawBufferPointer) { self.raw = raw }

        @inline(__always) mutating func put(_ value: Int16) {
            raw.storeBytes(of: value.bigEndian, toByteOffset: offset, as: Int16.self)
            offset += 2
        }

        @inline(__always) mutating func put(_ value: Int32) {
            raw.storeBytes(of: value.bigEndian, toByteOffset: offset, as: Int32.self)
            offset += 4
        }

        @inline(__always) mutating func putByte(_ value: UInt8) {
            raw[offset] = value
            offset += 1
        }

        /// An array count: int32, or unsigned varint of count + 1 when compact.
        @inline(__always) mutating func putCount(_ count: Int, compact: Bool) {
            guard compact else { return put(Int32(count)) }
            var value = UInt32(count + 1)
            while value >= 0x80 {
                putByte(UInt8(value & 0x7f) | 0x80)
                value >>= 7
            }
            putByte(UInt8(value))
        }
    }
}
