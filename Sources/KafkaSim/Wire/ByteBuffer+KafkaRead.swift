import NIOCore

/// Readers for the Kafka protocol's primitive types (big-endian integers, unsigned varints,
/// classic and compact strings and arrays, tagged fields). Each throws `WireError` instead of
/// trapping, because every byte here comes from a client.
extension ByteBuffer {
    mutating func readKafkaInt8() throws -> Int8 {
        guard let value = readInteger(as: Int8.self) else { throw WireError.truncated("int8") }
        return value
    }

    mutating func readKafkaInt16() throws -> Int16 {
        guard let value = readInteger(as: Int16.self) else { throw WireError.truncated("int16") }
        return value
    }

    mutating func readKafkaInt32() throws -> Int32 {
        guard let value = readInteger(as: Int32.self) else { throw WireError.truncated("int32") }
        return value
    }

    mutating func readKafkaBool() throws -> Bool {
        try readKafkaInt8() != 0
    }

    /// An unsigned varint (7 bits a byte, least significant group first), at most 5 bytes.
    mutating func readUnsignedVarint() throws -> UInt32 {
        var result: UInt32 = 0
        for shift in stride(from: 0, through: 28, by: 7) {
            guard let byte = readInteger(as: UInt8.self) else { throw WireError.truncated("varint") }
            result |= UInt32(byte & 0x7f) << UInt32(shift)
            if byte & 0x80 == 0 { return result }
        }
        throw WireError.invalid("varint longer than 5 bytes")
    }

    mutating func readUUIDBytes() throws -> [UInt8] {
        guard let bytes = readBytes(length: 16) else { throw WireError.truncated("uuid") }
        return bytes
    }

    /// A string: int16 length (classic) or unsigned varint length+1 (compact); nil for null.
    mutating func readKafkaString(compact: Bool) throws -> String? {
        let length: Int
        if compact {
            length = Int(try readUnsignedVarint()) - 1
        } else {
            length = Int(try readKafkaInt16())
        }
        if length < 0 { return nil }
        guard let string = readString(length: length) else { throw WireError.truncated("string") }
        return string
    }

    /// An array's element count: int32 (classic) or unsigned varint count+1 (compact); nil for
    /// a null array. Rejects counts that could not fit in the bytes left, so a hostile count
    /// cannot make us allocate.
    mutating func readKafkaArrayCount(compact: Bool, minimumElementSize: Int = 1) throws -> Int? {
        let count: Int
        if compact {
            count = Int(try readUnsignedVarint()) - 1
        } else {
            count = Int(try readKafkaInt32())
        }
        if count < 0 { return nil }
        guard count * minimumElementSize <= readableBytes else {
            throw WireError.truncated("array of \(count) elements")
        }
        return count
    }

    /// Skips a tagged-field section (flexible versions): a count, then tag, size, bytes each.
    mutating func skipTaggedFields() throws {
        let count = try readUnsignedVarint()
        for _ in 0..<count {
            _ = try readUnsignedVarint()
            let size = Int(try readUnsignedVarint())
            guard size <= readableBytes else { throw WireError.truncated("tagged field") }
            moveReaderIndex(forwardBy: size)
        }
    }
}
