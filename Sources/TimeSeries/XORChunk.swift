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
///
/// **Checkpoints.** Every `Checkpoints.interval` samples the chunk notes where the next sample
/// starts and the XOR window in force there (4 bytes each, not part of the stream). A range
/// read that starts late in the chunk, such as the last 5 minutes of a head chunk, decodes
/// from the last checkpoint before its start instead of from the first sample
/// (`checkpoint(for:maxt:)`). The value there is not stored: decoding from a checkpoint
/// yields each value XOR the one before the checkpoint, and the chunk's last value, kept
/// anyway, gives that one back. Timestamps come from the last timestamp and interval, so a
/// checkpoint is used only when every sample from it on kept the same interval.
struct XORChunk: Sendable {
    /// (Settable in the module only so that a prefetch can lend it in place.)
    var stream = BitStream()
    /// The number of samples.
    private(set) var count = 0
    /// The first and last timestamps (meaningless while `count == 0`).
    private(set) var minTime: Int64 = 0
    private(set) var maxTime: Int64 = 0
    private var state = XORState()
    /// Where decoding may resume inside the chunk.
    private(set) var checkpoints = Checkpoints()

    /// An empty chunk.
    init() {}

    /// The last value's bits, which a decode from a checkpoint needs to recover the values.
    var lastValueBits: UInt64 { state.value }
    /// The last interval.
    var lastDelta: Int64 { state.delta }

    /// The last checkpoint before `mint` (see `Checkpoints.checkpoint`).
    func checkpoint(for mint: Int64, maxt: Int64) -> Checkpoint? {
        var quotients = LastQuotient()
        return checkpoint(for: mint, maxt: maxt, &quotients)
    }

    /// `checkpoint(for:maxt:)` for a read that asks every series' head in turn: their heads
    /// mostly end at the same time with the same interval, so `quotients` saves redoing the
    /// same division.
    func checkpoint(for mint: Int64, maxt: Int64, _ quotients: inout LastQuotient) -> Checkpoint? {
        checkpoints.checkpoint(for: mint, maxt: maxt, count: count, minTime: minTime, maxTime: maxTime,
                               delta: state.delta, &quotients)
    }

    /// Notes a checkpoint if sample `count` (about to be written at `position` under the
    /// current window) is due one.
    private mutating func noteCheckpoint(at position: Int, leading: Int, trailing: Int) {
        checkpoints.note(sample: count, at: position, leading: leading, trailing: trailing)
    }

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
            // Only every `Checkpoints.interval` samples: the bit count reads the words array's
            // header, a cache miss that appending a `0` bit otherwise avoids.
            if count % Checkpoints.interval == 0 {
                noteCheckpoint(at: stream.bitCount, leading: state.leading, trailing: state.trailing)
            }
            let delta = timestamp &- maxTime
            let dod = delta &- state.delta
            if dod != 0 && count >= 2 { checkpoints.regularSince = Int32(count + 1) }
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
        // Decoded sample by sample, noting the checkpoints and interval changes as appending
        // would have.
        let decoded: (Sample, Sample, XORState, Int)? = stream.withReader { reader in
            var iterator = XORIterator(reader: reader, count: count)
            let first = iterator.next()!
            var last = first
            for index in 1..<count {
                self.count = index
                noteCheckpoint(at: iterator.position, leading: iterator.state.leading, trailing: iterator.state.trailing)
                let delta = iterator.state.delta
                guard let sample = iterator.next() else { return nil }
                if index >= 2 && iterator.state.delta != delta { checkpoints.regularSince = Int32(index + 1) }
                last = sample
            }
            return (first, last, iterator.state, iterator.position)
        }
        guard let decoded, decoded.3 == bitCount else { return nil }
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

/// The last division done, kept to answer the same one again without dividing.
struct LastQuotient {
    private var dividend: Int64 = 0, divisor: Int64 = 0, quotient: Int64 = 0

    /// `dividend / divisor`; `divisor` is not zero.
    @inline(__always)
    mutating func divide(_ dividend: Int64, by divisor: Int64) -> Int64 {
        if dividend != self.dividend || divisor != self.divisor {
            (self.dividend, self.divisor, quotient) = (dividend, divisor, dividend / divisor)
        }
        return quotient
    }
}

/// Where decoding may resume inside a chunk: sample `index` starts at bit `position`, under
/// the window `leading`/`trailing`, `timestamp` and `delta` being the timestamp and interval
/// of the sample before it; `skip` samples from there lie before the range it was chosen for.
struct Checkpoint: Equatable {
    var index: Int
    var position: Int
    var leading: Int
    var trailing: Int
    var timestamp: Int64
    var delta: Int64
    var skip = 0
}

/// A chunk's checkpoints (see `XORChunk`), every `interval` samples: 4 bytes each, kept
/// beside the stream, not in it.
struct Checkpoints: Sendable {
    /// Samples between checkpoints.
    static let interval = 8

    /// Mark `k` describes sample `(k + 1) * interval`: its bit position (16 bits) and the
    /// window before it (8 bits each); 0 when not recorded.
    private var marks = InlineArray<14, UInt32>(repeating: 0)
    /// The first sample index from which every sample kept the interval before it (delta of
    /// delta 0); samples 0 and 1 never count (the interval starts at 0).
    var regularSince: Int32 = 2

    /// Notes that sample `index` starts at bit `position` under the window
    /// `leading`/`trailing`, if it is due a checkpoint.
    mutating func note(sample index: Int, at position: Int, leading: Int, trailing: Int) {
        guard index % Self.interval == 0, index > 0 else { return }
        let k = index / Self.interval - 1
        guard k < marks.count else { return }
        // Positions past 16 bits (never, for 120 samples of at most 147 bits) go unrecorded.
        marks[k] = position <= 0xffff ? UInt32(position) | UInt32(leading) << 16 | UInt32(trailing) << 24 : 0
    }

    /// For a chunk of `count` samples from `minTime` to `maxTime`, last interval `delta`: the
    /// last checkpoint before `mint`, the latest one whose previous sample is older than
    /// `mint`, so decoding from it misses no sample in `mint...maxt`. Nil when decoding from
    /// the start is needed: no such checkpoint, a changed interval after it, or `maxt` before
    /// the chunk's end (decoding from a checkpoint must reach the last value).
    func checkpoint(for mint: Int64, maxt: Int64, count: Int, minTime: Int64, maxTime: Int64, delta: Int64,
                    _ quotients: inout LastQuotient) -> Checkpoint? {
        guard maxt >= maxTime, mint > minTime, count > Self.interval, delta > 0 else { return nil }
        // With one interval from `regularSince` on, sample i is `count - 1 - i` intervals
        // before the last: the first one at or after `mint` is `count - 1 - behind`.
        let (span, overflow) = maxTime.subtractingReportingOverflow(mint)
        guard !overflow else { return nil }
        let behind = span >= 0 ? Int(min(Int64(count), quotients.divide(span, by: delta))) : -1
        let first = count - 1 - behind
        var k = min(marks.count, first / Self.interval) - 1
        while k >= 0 && (k + 1) * Self.interval >= Int(regularSince) {
            let index = (k + 1) * Self.interval, packed = marks[k]
            // An unrecorded position: try the checkpoint before.
            if packed != 0 {
                return Checkpoint(index: index, position: Int(packed & 0xffff), leading: Int(packed >> 16 & 0xff),
                                  trailing: Int(packed >> 24), timestamp: maxTime &- Int64(count - index) &* delta,
                                  delta: delta, skip: first - index)
            }
            k -= 1
        }
        return nil
    }
}
