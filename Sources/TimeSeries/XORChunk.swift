/// A Gorilla-style compressed chunk of samples: delta-of-delta timestamps and XOR'd values,
/// after Facebook's Gorilla paper and Prometheus's XOR chunk, with one change: a single `0`
/// bit encodes the commonest sample of all, "same interval, same value" (Prometheus spends
/// two bits on it). The bit layout is described in docs/timeseries.md.
///
/// Every Double round-trips bit for bit (NaN payloads, the staleness marker, ±Inf, -0.0,
/// subnormals), because values are handled as raw bit patterns. Timestamps use wrapping
/// arithmetic, so any Int64 sequence round-trips; the store only ever appends increasing ones.
///
/// The appender's state lives in the chunk itself, so a chunk is appendable as is; a chunk
/// rebuilt from its bytes (`init?(bytes:bitCount:count:)`) recovers it by decoding.
struct XORChunk: Sendable {
    private(set) var stream = BitStream()
    /// The number of samples.
    private(set) var count = 0
    /// The first and last timestamps (meaningless while `count == 0`).
    private(set) var minTime: Int64 = 0
    private(set) var maxTime: Int64 = 0
    private var state = XORState()

    /// An empty chunk.
    init() {}

    /// The last sample appended (meaningless while `count == 0`): no decoding needed.
    var lastSample: Sample { Sample(maxTime, Double(bitPattern: state.value)) }

    /// The encoded size in bytes.
    var byteCount: Int { stream.byteCount }

    /// Appends a sample.
    mutating func append(_ timestamp: Int64, _ value: Double) {
        let bits = value.bitPattern
        if count == 0 {
            stream.write(UInt64(bitPattern: timestamp), bits: 64)
            stream.write(bits, bits: 64)
            minTime = timestamp
        } else {
            let delta = timestamp &- maxTime
            let dod = delta &- state.delta
            let xor = bits ^ state.value
            if dod == 0 && xor == 0 {
                stream.write(bit: false)
            } else {
                stream.write(bit: true)
                if dod == 0 {
                    stream.write(bit: false)
                    writeChanged(xor)
                } else {
                    writeDeltaOfDelta(dod)
                    if xor == 0 {
                        stream.write(bit: false)
                    } else {
                        stream.write(bit: true)
                        writeChanged(xor)
                    }
                }
            }
            state.delta = delta
        }
        state.value = bits
        maxTime = timestamp
        count += 1
    }

    /// Writes a non-zero delta of delta in the smallest of the bucket codes
    /// `10`+14 bits, `110`+17, `1110`+20, `1111`+64 (two's complement).
    private mutating func writeDeltaOfDelta(_ dod: Int64) {
        for bucket in XORState.dodBuckets where dod >= -(1 << (bucket.bits - 1)) && dod < 1 << (bucket.bits - 1) {
            stream.write(bucket.prefix, bits: bucket.prefixBits)
            stream.write(UInt64(bitPattern: dod), bits: bucket.bits)
            return
        }
        stream.write(0b1111, bits: 4)
        stream.write(UInt64(bitPattern: dod), bits: 64)
    }

    /// Writes a non-zero XOR: `0` + the bits inside the previous window when they fit there,
    /// else `1` + 6 bits of leading zeros + 6 bits of length (64 written as 0) + the bits.
    private mutating func writeChanged(_ xor: UInt64) {
        let leading = xor.leadingZeroBitCount
        let trailing = xor.trailingZeroBitCount
        if state.hasWindow && leading >= state.leading && trailing >= state.trailing {
            stream.write(bit: false)
            stream.write(xor &>> UInt64(state.trailing), bits: 64 - state.leading - state.trailing)
        } else {
            let length = 64 - leading - trailing
            stream.write(bit: true)
            stream.write(UInt64(leading), bits: 6)
            stream.write(UInt64(length & 63), bits: 6)
            stream.write(xor &>> UInt64(trailing), bits: length)
            state.leading = leading
            state.trailing = trailing
            state.hasWindow = true
        }
    }

    /// Rebuilds a chunk from its serialized stream; nil when the bits do not decode to exactly
    /// `count` samples (a damaged stream).
    init?(bytes: some Collection<UInt8>, bitCount: Int, count: Int) {
        guard count >= 0, let stream = BitStream(bytes: bytes, bitCount: bitCount) else { return nil }
        self.stream = stream
        if count == 0 {
            guard bitCount == 0 else { return nil }
            return
        }
        let decoded = stream.withReader { reader in
            var iterator = XORIterator(reader: reader, count: count)
            let first = iterator.next()!
            var last = first
            while let sample = iterator.next() { last = sample }
            return (first, last, iterator.state, iterator.position)
        }
        guard decoded.3 == bitCount else { return nil }
        self.count = count
        minTime = decoded.0.timestamp
        maxTime = decoded.1.timestamp
        state = decoded.2
    }

    /// Calls `body` with an iterator over the samples.
    func withIterator<Result>(_ body: (inout XORIterator) throws -> Result) rethrows -> Result {
        try stream.withReader { reader in
            var iterator = XORIterator(reader: reader, count: count)
            return try body(&iterator)
        }
    }

    /// Every sample, decoded.
    var samples: [Sample] {
        withIterator { iterator in
            var out: [Sample] = []
            out.reserveCapacity(count)
            while let sample = iterator.next() { out.append(sample) }
            return out
        }
    }

    /// Appends to `out` the samples with `mint <= t <= maxt` (timestamps must increase, as
    /// they do in the store).
    func decode(into out: inout [Sample], mint: Int64, maxt: Int64) {
        withIterator { $0.decode(into: &out, mint: mint, maxt: maxt, count: count) }
    }
}

/// The running state shared by the encoder and decoder: the last interval and value bits,
/// and the window (leading and trailing zero counts) of the last XOR written in full.
struct XORState: Sendable {
    var delta: Int64 = 0
    var value: UInt64 = 0
    var leading = 0
    var trailing = 0
    var hasWindow = false

    /// The bucket codes for a non-zero delta of delta, smallest first.
    static let dodBuckets: [(prefix: UInt64, prefixBits: Int, bits: Int)] = [
        (0b10, 2, 14), (0b110, 3, 17), (0b1110, 4, 20),
    ]
}
