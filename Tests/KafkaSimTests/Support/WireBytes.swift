/// A test-side encoder and decoder of Kafka primitives, written apart from the simulator's
/// own (so that a shared misreading of the spec cannot hide): classic and compact strings and
/// arrays, unsigned varints, tagged fields.
struct WireWriter {
    var bytes: [UInt8] = []

    mutating func int8(_ value: Int8) { bytes.append(UInt8(bitPattern: value)) }
    mutating func int16(_ value: Int16) { withUnsafeBytes(of: value.bigEndian) { bytes += $0 } }
    mutating func int32(_ value: Int32) { withUnsafeBytes(of: value.bigEndian) { bytes += $0 } }
    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func varint(_ value: Int) {
        var value = UInt32(value)
        while value >= 0x80 { bytes.append(UInt8(value & 0x7f) | 0x80); value >>= 7 }
        bytes.append(UInt8(value))
    }

    mutating func string(_ value: String?, compact: Bool) {
        guard let value else { compact ? varint(0) : int16(-1); return }
        compact ? varint(value.utf8.count + 1) : int16(Int16(value.utf8.count))
        bytes += Array(value.utf8)
    }

    mutating func arrayCount(_ count: Int?, compact: Bool) {
        guard let count else { compact ? varint(0) : int32(-1); return }
        compact ? varint(count + 1) : int32(Int32(count))
    }

    mutating func tags(_ flexible: Bool) { if flexible { bytes.append(0) } }

    /// A whole request frame: size, header (v1, or v2 when `flexible`), body.
    static func request(apiKey: Int16, version: Int16, correlationId: Int32, flexible: Bool,
                        body: (inout WireWriter) -> Void) -> [UInt8] {
        var message = WireWriter()
        message.int16(apiKey)
        message.int16(version)
        message.int32(correlationId)
        message.string("kafka-sim-tests", compact: false)  // header v2 keeps a classic client id
        message.tags(flexible)
        body(&message)
        var frame = WireWriter()
        frame.int32(Int32(message.bytes.count))
        return frame.bytes + message.bytes
    }
}

/// Reads Kafka primitives from a response; reading past the end is a test failure (thrown).
struct WireReader {
    struct Overrun: Error {}

    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, offset + count <= bytes.count else { throw Overrun() }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func int8() throws -> Int8 { Int8(bitPattern: try take(1).first!) }
    mutating func int16() throws -> Int16 { Int16(bitPattern: try take(2).reduce(0) { $0 << 8 | UInt16($1) }) }
    mutating func int32() throws -> Int32 { Int32(bitPattern: try take(4).reduce(0) { $0 << 8 | UInt32($1) }) }
    mutating func int64() throws -> UInt64 { try take(8).reduce(0) { $0 << 8 | UInt64($1) } }
    mutating func bool() throws -> Bool { try int8() != 0 }

    mutating func varint() throws -> Int {
        var result = 0, shift = 0
        while true {
            let byte = try take(1).first!
            result |= Int(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func string(compact: Bool) throws -> String? {
        let length = compact ? try varint() - 1 : Int(try int16())
        guard length >= 0 else { return nil }
        return String(decoding: try take(length), as: UTF8.self)
    }

    mutating func count(compact: Bool) throws -> Int {
        compact ? try varint() - 1 : Int(try int32())
    }

    mutating func int32Array(compact: Bool) throws -> [Int32] {
        try (0..<count(compact: compact)).map { _ in try int32() }
    }

    mutating func tags(_ flexible: Bool) throws {
        guard flexible else { return }
        for _ in 0..<(try varint()) {
            _ = try varint()
            _ = try take(try varint())
        }
    }
}
