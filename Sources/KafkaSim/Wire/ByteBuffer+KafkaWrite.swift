import NIOCore

/// Writers for the Kafka protocol's primitive types. `compact` selects the flexible-version
/// encodings (unsigned varint length+1) over the classic ones (int16/int32 length).
extension ByteBuffer {
    mutating func writeUnsignedVarint(_ value: UInt32) {
        var value = value
        while value >= 0x80 {
            writeInteger(UInt8(value & 0x7f | 0x80))
            value >>= 7
        }
        writeInteger(UInt8(value))
    }

    mutating func writeKafkaBool(_ value: Bool) {
        writeInteger(Int8(value ? 1 : 0))
    }

    mutating func writeKafkaString(_ value: String?, compact: Bool) {
        guard let value else {
            if compact { writeUnsignedVarint(0) } else { writeInteger(Int16(-1)) }
            return
        }
        let length = value.utf8.count
        if compact { writeUnsignedVarint(UInt32(length + 1)) } else { writeInteger(Int16(length)) }
        writeString(value)
    }

    /// An array's element count; nil writes a null array.
    mutating func writeKafkaArrayCount(_ count: Int?, compact: Bool) {
        guard let count else {
            if compact { writeUnsignedVarint(0) } else { writeInteger(Int32(-1)) }
            return
        }
        if compact { writeUnsignedVarint(UInt32(count + 1)) } else { writeInteger(Int32(count)) }
    }

    mutating func writeKafkaInt32Array(_ values: [Int32], compact: Bool) {
        writeKafkaArrayCount(values.count, compact: compact)
        for value in values { writeInteger(value) }
    }

    /// An empty tagged-field section, written only in flexible versions.
    mutating func writeEmptyTaggedFields(if flexible: Bool) {
        if flexible { writeInteger(UInt8(0)) }
    }
}
