/// An append-only stream of bits, most significant bit first, stored as 64-bit words.
///
/// The last, partial word lives in `tail` rather than in `words`, so that appending never
/// rewrites an element of `words`: a reader that took a copy of the stream (a retain of the
/// array) keeps a consistent view while the writer goes on (copy-on-write does the rest).
struct BitStream: Sendable {
    /// The full words, in order. (Settable in the module only so that a prefetch can lend
    /// it in place; nothing outside `BitStream` writes it.)
    var words: [UInt64] = []
    /// The pending bits, left-aligned: the first pending bit is bit 63.
    private(set) var tail: UInt64 = 0
    /// How many bits of `tail` are used (0..<64).
    private(set) var tailBits: Int = 0

    init() {}

    /// The number of bits written.
    var bitCount: Int { words.count &* 64 &+ tailBits }

    /// The number of bytes the stream takes when serialized (rounded up to whole bytes).
    var byteCount: Int { (bitCount + 7) >> 3 }

    /// Appends the low `count` bits of `value`, most significant first; `count` is 1...64.
    mutating func write(_ value: UInt64, bits count: Int) {
        // Clear any bits above `count` so they cannot leak into the stream.
        let value = count == 64 ? value : value & ((1 &<< UInt64(count)) &- 1)
        let free = 64 - tailBits
        if count < free {
            tail |= value &<< UInt64(free - count)
            tailBits += count
        } else {
            // Fill the tail with the high `free` bits, flush it, and start over with the rest.
            let rest = count - free
            words.append(tail | (value &>> UInt64(rest)))
            tail = rest == 0 ? 0 : value &<< UInt64(64 - rest)
            tailBits = rest
        }
    }

    /// Appends one bit.
    mutating func write(bit: Bool) {
        if bit { tail |= 1 &<< UInt64(63 - tailBits) }
        tailBits += 1
        if tailBits == 64 {
            words.append(tail)
            tail = 0
            tailBits = 0
        }
    }

    /// The stream as bytes, big-endian, the last byte padded with zero bits.
    func bytes() -> [UInt8] {
        words.withUnsafeBufferPointer { Self.bytes(words: $0, tail: tail, bitCount: bitCount) }
    }

    /// The serialized form of a stream of `bitCount` bits: `words` (its full words) and
    /// `tail`, big-endian, cut to whole bytes.
    static func bytes(words: UnsafeBufferPointer<UInt64>, tail: UInt64, bitCount: Int) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity((bitCount + 7) >> 3)
        for word in words {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: word &>> UInt64(shift))) }
        }
        for byte in 0..<((bitCount - words.count * 64 + 7) >> 3) {
            out.append(UInt8(truncatingIfNeeded: tail &>> UInt64(56 - 8 * byte)))
        }
        return out
    }

    /// Rebuilds a stream from `bytes()` output and its bit count; nil when they disagree.
    init?(bytes: some Collection<UInt8>, bitCount: Int) {
        guard bitCount >= 0, (bitCount + 7) >> 3 == bytes.count else { return nil }
        var index = bytes.startIndex
        var remaining = bitCount
        words.reserveCapacity(bitCount >> 6)
        while remaining >= 64 {
            var word: UInt64 = 0
            for _ in 0..<8 { word = word &<< 8 | UInt64(bytes[index]); index = bytes.index(after: index) }
            words.append(word)
            remaining -= 64
        }
        var shift: UInt64 = 56
        while index != bytes.endIndex {
            tail |= UInt64(bytes[index]) &<< shift
            index = bytes.index(after: index)
            shift &-= 8
        }
        tailBits = remaining
        // Bits past the end must be zero, or appending would OR garbage into new bits.
        if remaining > 0 { tail &= ~((1 &<< UInt64(64 - remaining)) &- 1) } else { tail = 0 }
    }
}

extension BitStream {
    /// The words a `BitReader` reads: the full words, the tail, and one zero word.
    var paddedWords: [UInt64] { words + [tail, 0] }

    /// Calls `body` with a reader positioned at the first bit. For tests and cold paths: it
    /// copies the words (a read of the store decodes from its own padded arena instead).
    func withReader<Result>(_ body: (inout BitReader) throws -> Result) rethrows -> Result {
        try paddedWords.withUnsafeBufferPointer { buffer in
            var reader = BitReader(padded: buffer.baseAddress!, count: buffer.count)
            return try body(&reader)
        }
    }
}

/// Reads a bit stream from the start, over *padded* words: the stream's full words, then its
/// tail word, then at least one zero word (`BitStream.paddedWords`, or a read's arena). The
/// padding lets every read load two words without a bounds branch. Reading past the end
/// yields zero bits instead of trapping (indexes are clamped to the last, zero, word), so a
/// damaged stream decodes to garbage values, never to a crash; callers bound their loops by
/// the sample count they know.
struct BitReader {
    private let words: UnsafePointer<UInt64>
    /// The index of the last word, which is zero.
    private let last: Int
    /// The position of the next bit to read.
    private(set) var position: Int = 0

    /// A reader over `count` (at least 1) padded words at `words`, the last of them zero.
    init(padded words: UnsafePointer<UInt64>, count: Int) {
        precondition(count >= 1 && words[count - 1] == 0, "a bit reader needs a final zero word")
        self.words = words
        last = count - 1
    }

    /// The next 64 bits, without consuming them.
    @inline(__always)
    func peek() -> UInt64 {
        let index = position &>> 6
        let offset = UInt64(position & 63)
        let first = words[Swift.min(index, last)]
        let second = words[Swift.min(index &+ 1, last)]
        // `second >> (64 - offset)`, written so that offset 0 shifts in nothing.
        return first &<< offset | (second &>> 1) &>> (63 &- offset)
    }

    /// Consumes `count` bits (0...64) without decoding them.
    @inline(__always)
    mutating func skip(_ count: Int) { position &+= count }

    /// Reads `count` bits (1...64) as an unsigned integer.
    @inline(__always)
    mutating func read(bits count: Int) -> UInt64 {
        let value = peek() &>> UInt64(64 &- count)
        position &+= count
        return value
    }

    /// Reads one bit.
    @inline(__always)
    mutating func readBit() -> Bool {
        let bit = peek() &>> 63 == 1
        position &+= 1
        return bit
    }
}
