/// Decodes an `XORChunk`'s samples in order (the encoding is described on `XORChunk`). It
/// reads padded words through a `BitReader` and must not outlive them.
///
/// Range decoding (`decode(into:)`) has fast paths, exact for every stream, for the samples a
/// store is made of: runs of "same interval, same value" (one bit each), and a changed value
/// in the same interval, inside the previous window or with a new one, decoded together with
/// the zero to three unchanged samples before it and selected with masks rather than
/// branches. Decoding is a chain of dependent steps (where a sample ends is known only once
/// it is decoded), so its speed is the chain's latency: a counter, whose samples change or
/// not at random, gets about two samples per link instead of one, and no mispredicted branch.
/// Everything else (interval changes, 64-bit windows, the first XOR) takes the general path.
struct XORIterator: IteratorProtocol {
    private var reader: BitReader
    private var remaining: Int
    private var started = false
    private var timestamp: Int64 = 0
    /// The decoder's running state (interval, value, window).
    private(set) var state = XORState()

    init(reader: BitReader, count: Int) {
        self.reader = reader
        remaining = count
    }

    /// An iterator over the `count` samples from `checkpoint` on, `reader` being at the
    /// chunk's first bit: timestamps come out right, values XOR the value before the
    /// checkpoint (taken as 0), which `XORChunk` explains how to undo.
    init(reader: BitReader, count: Int, resumingAt checkpoint: Checkpoint) {
        self.reader = reader
        self.reader.skip(checkpoint.position)
        remaining = count
        started = true
        timestamp = checkpoint.timestamp
        state.delta = checkpoint.delta
        state.leading = checkpoint.leading
        state.trailing = checkpoint.trailing
        state.hasWindow = true
    }

    /// The bit position reached, for checking that a stream decodes exactly.
    var position: Int { reader.position }

    mutating func next() -> Sample? {
        guard remaining > 0 else { return nil }
        remaining -= 1
        if !started {
            readFirst()
        } else if reader.peek() &>> 63 == 0 {
            reader.skip(1)
            timestamp &+= state.delta
        } else {
            decodeChanged(reader.peek(), after: 0)
        }
        return Sample(timestamp, Double(bitPattern: state.value))
    }

    /// The room `decode(into:)` needs for `count` remaining samples: it writes up to three
    /// samples past the last one it keeps.
    static func scratchCapacity(_ count: Int) -> Int { count + 3 }

    /// Writes to `buffer` the remaining samples up to `maxt` (timestamps increase; it stops
    /// at the first one past `maxt`) and returns how many it wrote. `buffer` must have room
    /// for `scratchCapacity(remaining)` samples.
    mutating func decode(into buffer: UnsafeMutablePointer<Sample>, maxt: Int64) -> Int {
        // Work on a local copy: with every step inlined, its fields live in registers instead
        // of memory that the compiler must assume the buffer's stores could touch.
        var local = self
        var written = 0
        while local.remaining > 0 { local.advance(into: buffer, &written, maxt: maxt) }
        self = local
        return written
    }

    /// Appends to `out` the remaining samples with `mint <= t <= maxt`; `count` is at least
    /// the number of samples remaining.
    mutating func decode(into out: inout [Sample], mint: Int64, maxt: Int64, count: Int) {
        // Decoded into scratch space (on the stack for a chunk's 120 samples), then the part
        // from `mint` on copied: appending sample by sample would check the array's capacity
        // at every one, and testing `mint` at every sample would lengthen the chain.
        withUnsafeTemporaryAllocation(of: Sample.self, capacity: Self.scratchCapacity(count)) { scratch in
            let written = decode(into: scratch.baseAddress!, maxt: maxt)
            var low = 0, high = written
            while low < high {
                let middle = (low + high) / 2
                if scratch[middle].timestamp < mint { low = middle + 1 } else { high = middle }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[low..<written]))
        }
    }

    /// Decodes the next samples (the first; a run of unchanged ones; or up to three unchanged
    /// ones and a changed one) and writes them to `buffer` at `written`; past `maxt`, keeps
    /// only those up to it and marks the stream done. Needs `remaining > 0`.
    @inline(__always)
    private mutating func advance(into buffer: UnsafeMutablePointer<Sample>, _ written: inout Int, maxt: Int64) {
        let bits = reader.peek()
        let zeros = bits.leadingZeroBitCount
        let value = Double(bitPattern: state.value)
        let delta = state.delta
        if !started {
            remaining -= 1
            readFirst()
        } else if zeros >= 4 || zeros >= remaining {
            // A run of unchanged samples (a gauge's usual stretch), or the chunk's last ones.
            let run = Swift.min(zeros, remaining)
            reader.skip(run)
            remaining -= run
            let start = timestamp
            for k in 0..<run {
                (buffer + (written &+ k)).initialize(to: Sample(start &+ Int64(k &+ 1) &* delta, value))
            }
            written &+= run
            timestamp &+= Int64(run) &* delta
            if timestamp > maxt { keep(upTo: maxt, buffer, &written) }
            return
        } else {
            // `zeros` (0...3) unchanged samples, all three slots written whatever their
            // number (no branch), then the changed sample.
            let start = timestamp
            (buffer + written).initialize(to: Sample(start &+ delta, value))
            (buffer + (written &+ 1)).initialize(to: Sample(start &+ 2 &* delta, value))
            (buffer + (written &+ 2)).initialize(to: Sample(start &+ 3 &* delta, value))
            written &+= zeros
            timestamp &+= Int64(zeros) &* delta
            remaining -= zeros &+ 1
            decodeChanged(bits &<< UInt64(zeros), after: zeros)
        }
        (buffer + written).initialize(to: Sample(timestamp, Double(bitPattern: state.value)))
        written &+= 1
        if timestamp > maxt { keep(upTo: maxt, buffer, &written) }
    }

    /// Drops the written samples past `maxt` and ends decoding.
    @inline(__always)
    private mutating func keep(upTo maxt: Int64, _ buffer: UnsafeMutablePointer<Sample>, _ written: inout Int) {
        while written > 0 && buffer[written - 1].timestamp > maxt { written -= 1 }
        remaining = 0
    }

    /// The first sample: a raw 64-bit timestamp and 64-bit value.
    @inline(__always)
    private mutating func readFirst() {
        started = true
        timestamp = Int64(bitPattern: reader.read(bits: 64))
        state.value = reader.read(bits: 64)
    }

    /// Decodes a changed sample (control bit `1`) that follows `zeros` unchanged ones (`0`
    /// bits, already accounted for); `bits` starts at its control bit.
    @inline(__always)
    private mutating func decodeChanged(_ bits: UInt64, after zeros: Int) {
        // The candidates for `1 0 0` + the bits in the previous window, and `1 0 1` + 6 bits
        // of leading zeros + 6 bits of length + the bits, are both computed and selected with
        // masks: the compiler turns conditionals into branches, mispredicted at random.
        let freshMask = 0 &- Int(truncatingIfNeeded: bits &>> 61 & 1)
        let leading = Int(truncatingIfNeeded: bits &>> 55 & 63) & freshMask | state.leading & ~freshMask
        let length = Int(truncatingIfNeeded: bits &>> 49 & 63) & freshMask
            | (64 &- state.leading &- state.trailing) & ~freshMask
        let header = 15 & freshMask | 3 & ~freshMask
        let trailing = 64 &- leading &- length
        // The general path: a changed interval (`1 1`), a 64-bit (or no) window, or bits that
        // do not fit in the word peeked; each test is a sign bit, and one branch takes them
        // all. Rare in a store's chunks, so well predicted.
        let general = Int(truncatingIfNeeded: bits &<< 1) | (length &- 1) | (64 &- zeros &- header &- length) | trailing
        if general < 0 {
            reader.skip(zeros &+ 1)
            readChangedSample()
            return
        }
        let xor = ((bits &<< UInt64(truncatingIfNeeded: header)) &>> UInt64(truncatingIfNeeded: 64 &- length))
            &<< UInt64(truncatingIfNeeded: trailing)
        state.value ^= xor
        state.leading = leading
        state.trailing = trailing
        state.hasWindow = true
        reader.skip(zeros &+ header &+ length)
        timestamp &+= state.delta
    }

    /// Decodes a sample whose control bit was `1`: a timestamp code, then a value code. Out
    /// of line: it is rare, and inlined it made the fast path's code larger for nothing.
    @inline(never)
    private mutating func readChangedSample() {
        if !reader.readBit() {
            timestamp &+= state.delta
            readChangedValue()
            return
        }
        state.delta &+= readDeltaOfDelta()
        timestamp &+= state.delta
        if reader.readBit() { readChangedValue() }
    }

    /// Reads the rest of a delta-of-delta code whose first `1` bit was consumed.
    @inline(__always)
    private mutating func readDeltaOfDelta() -> Int64 {
        // Bucket i is i+1 one bits (the first already read) and a zero; four ones mean 64.
        var bits = 64
        for bucket in XORState.dodBuckets where !reader.readBit() {
            bits = bucket.bits
            break
        }
        let raw = reader.read(bits: bits)
        // Sign-extend the `bits`-wide two's complement value.
        let shift = UInt64(64 - bits)
        return Int64(bitPattern: raw &<< shift) &>> Int64(shift)
    }

    /// Reads a non-zero XOR (window reuse or a new window) and applies it to the value.
    @inline(__always)
    private mutating func readChangedValue() {
        if reader.readBit() {
            state.leading = Int(reader.read(bits: 6))
            var length = Int(reader.read(bits: 6))
            if length == 0 { length = 64 }
            // A damaged stream may claim more bits than a word holds; clamp, never trap.
            state.trailing = max(0, 64 - state.leading - length)
            length = 64 - state.leading - state.trailing
            state.hasWindow = true
        }
        let length = 64 - state.leading - state.trailing
        guard length > 0 else { return }
        state.value ^= reader.read(bits: length) &<< UInt64(state.trailing)
    }
}
