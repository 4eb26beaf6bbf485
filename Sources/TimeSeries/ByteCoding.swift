/// Appends little-endian integers, LEB128 varints and length-prefixed strings to a byte
/// buffer: the building blocks of the snapshot format.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ bytes: some Sequence<UInt8>) { self.bytes.append(contentsOf: bytes) }

    mutating func write(uint32 value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func write(uint64 value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// An unsigned LEB128 varint: seven bits per byte, low bits first, high bit = "more".
    mutating func write(varint value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func write(varint value: Int) { write(varint: UInt64(value)) }

    /// A varint byte length and the UTF-8 bytes.
    mutating func write(string: String) {
        write(varint: string.utf8.count)
        bytes.append(contentsOf: string.utf8)
    }
}

/// Reads what `ByteWriter` wrote, throwing `ByteReader.Truncated` instead of reading past the
/// end, so a short or damaged file fails cleanly.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset: Int

    /// A read went past the end of the data.
    struct Truncated: Error {
        let offset: Int
    }

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func read(count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - offset else { throw Truncated(offset: offset) }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func readUInt32() throws -> UInt32 {
        try read(count: 4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func readUInt64() throws -> UInt64 {
        try read(count: 8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func readVarint() throws -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: UInt64(0), to: 64, by: 7) {
            let byte = try read(count: 1).first!
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
        }
        throw Truncated(offset: offset)
    }

    /// A varint that must fit in `0...limit` (a count or a length), else `Truncated`.
    mutating func readCount(limit: Int = Int(Int32.max)) throws -> Int {
        let value = try readVarint()
        guard value <= UInt64(limit) else { throw Truncated(offset: offset) }
        return Int(value)
    }

    mutating func readString() throws -> String {
        String(decoding: try read(count: try readCount()), as: UTF8.self)
    }
}
