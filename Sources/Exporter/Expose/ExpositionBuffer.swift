#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable byte buffer for exposition text: raw memory, `memcpy` for runs of bytes, no
/// per-byte bounds or uniqueness checks. Rendering 100k-partition clusters writes over ten
/// megabytes per scrape, where `[UInt8].append` per byte dominated the cost.
struct ExpositionBuffer: ~Copyable {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    /// An empty buffer with room for `capacity` bytes.
    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: storage, count: count)
        storage.deallocate()
        storage = bigger
        capacity = newCapacity
    }

    /// Appends one byte.
    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count += 1
    }

    /// Appends bytes as they are.
    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (storage + count).update(from: base, count: bytes.count)
        count += bytes.count
    }

    /// Appends pre-encoded bytes.
    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Appends a string's UTF-8 as it is.
    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Appends a string escaping backslash and newline, and double quote when `quote`;
    /// strings without any of them (nearly all) are copied in one go.
    mutating func appendEscaped(_ text: String, quote: Bool) {
        var text = text
        text.withUTF8 { bytes in
            let needsEscape = bytes.contains { $0 == 0x5C || $0 == 0x0A || (quote && $0 == 0x22) }
            guard needsEscape else { return append(bytes) }
            for byte in bytes {
                switch byte {
                case 0x5C: append(0x5C); append(0x5C)
                case 0x0A: append(0x5C); append(UInt8(ascii: "n"))
                case 0x22 where quote: append(0x5C); append(0x22)
                default: append(byte)
                }
            }
        }
    }

    /// Appends a non-negative-or-negative integer in decimal.
    mutating func appendInteger(_ value: Int64) {
        reserve(20)
        if value < 0 {
            storage[count] = UInt8(ascii: "-")
            count += 1
        }
        var magnitude = value.magnitude
        var digits = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        var position = count + digits - 1
        repeat {
            storage[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            position -= 1
        } while magnitude > 0
        count += digits
    }

    /// Lends the bytes written so far.
    func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try body(UnsafeBufferPointer(start: storage, count: count))
    }

    /// The bytes written, as a String (UTF-8 is validated once here).
    func string() -> String {
        String(decoding: UnsafeBufferPointer(start: storage, count: count), as: UTF8.self)
    }
}
