/// Decodes an `XORChunk`'s samples in order (the encoding is described on `XORChunk`). It
/// reads padded words through a `BitReader` and must not outlive them.
///
/// Two paths, both exact for every stream: a branch-free step for the samples a store is made
/// of ("same interval, same value", and "same interval, value changed" inside the previous
/// window or with a new one), and a general one for the rest (interval changes, 64-bit
/// windows, the first XOR). The branch-free step matters for counters, whose samples change
/// or not at random: a branch per sample would be mispredicted half the time.
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

    /// The bit position reached, for checking that a stream decodes exactly.
    var position: Int { reader.position }

    @inline(__always)
    mutating func next() -> Sample? {
        guard remaining > 0 else { return nil }
        remaining -= 1
        if started { step() } else { readFirst() }
        return Sample(timestamp, Double(bitPattern: state.value))
    }

    /// Writes to `buffer` the remaining samples with `mint <= t <= maxt`, assuming increasing
    /// timestamps (stops at the first one past `maxt`), and returns how many it wrote.
    /// `buffer` must have room for all the remaining samples.
    mutating func decode(into buffer: UnsafeMutablePointer<Sample>, mint: Int64, maxt: Int64) -> Int {
        // Work on a local copy: with every step inlined, its fields live in registers instead
        // of memory that the compiler must assume the buffer's stores could touch.
        var local = self
        let written = local.decodeLocally(into: buffer, mint: mint, maxt: maxt)
        self = local
        return written
    }

    /// Appends to `out` the remaining samples with `mint <= t <= maxt` (see `decode(into:)`);
    /// `count` is at least the number of samples remaining.
    mutating func decode(into out: inout [Sample], mint: Int64, maxt: Int64, count: Int) {
        // Decoded into scratch space (on the stack for a chunk's 120 samples), then copied:
        // appending sample by sample would check the array's capacity at every one.
        withUnsafeTemporaryAllocation(of: Sample.self, capacity: Swift.max(count, 1)) { scratch in
            let written = decode(into: scratch.baseAddress!, mint: mint, maxt: maxt)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<written]))
        }
    }

    @inline(__always)
    private mutating func decodeLocally(into buffer: UnsafeMutablePointer<Sample>, mint: Int64, maxt: Int64) -> Int {
        var written = 0
        while remaining > 0 { advance(into: buffer, &written, mint: mint, maxt: maxt) }
        return written
    }

    /// Decodes the next sample, or a run of unchanged ones, and writes those inside the range
    /// to `buffer` at `written`; past `maxt`, marks the stream done. Needs `remaining > 0`.
    @inline(__always)
    private mutating func advance(into buffer: UnsafeMutablePointer<Sample>, _ written: inout Int, mint: Int64, maxt: Int64) {
        let bits = reader.peek()
        if !started {
            remaining -= 1
            readFirst()
        } else if bits &>> 60 == 0 {
            // Four or more leading zero bits: a run of unchanged samples (a gauge's usual
            // stretch), emitted without decoding them one by one.
            let run = Swift.min(bits.leadingZeroBitCount, remaining)
            reader.skip(run)
            remaining -= run
            if !emitRun(run, into: buffer, &written, mint: mint, maxt: maxt) { remaining = 0 }
            return
        } else {
            remaining -= 1
            step(bits)
        }
        if timestamp > maxt { remaining = 0; return }
        // Written either way, counted only inside the range: no branch on it.
        (buffer + written).initialize(to: Sample(timestamp, Double(bitPattern: state.value)))
        written &+= timestamp >= mint ? 1 : 0
    }

    /// Emits `run` samples with the current value, `delta` apart; false once past `maxt`.
    @inline(__always)
    private mutating func emitRun(_ run: Int, into buffer: UnsafeMutablePointer<Sample>, _ written: inout Int,
                                  mint: Int64, maxt: Int64) -> Bool {
        let value = Double(bitPattern: state.value)
        let delta = state.delta
        let (span, overflow) = delta.multipliedReportingOverflow(by: Int64(run))
        let (end, overflowEnd) = timestamp.addingReportingOverflow(span)
        if delta > 0 && !overflow && !overflowEnd && end <= maxt && timestamp &+ delta >= mint {
            // The whole run is inside the range: a plain loop the compiler can unroll.
            let start = timestamp
            for k in 0..<run {
                (buffer + (written &+ k)).initialize(to: Sample(start &+ Int64(k &+ 1) &* delta, value))
            }
            written &+= run
            timestamp = end
            return true
        }
        for _ in 0..<run {
            timestamp &+= delta
            if timestamp > maxt { return false }
            (buffer + written).initialize(to: Sample(timestamp, value))
            written &+= timestamp >= mint ? 1 : 0
        }
        return true
    }

    /// The first sample: a raw 64-bit timestamp and 64-bit value.
    @inline(__always)
    private mutating func readFirst() {
        started = true
        timestamp = Int64(bitPattern: reader.read(bits: 64))
        state.value = reader.read(bits: 64)
    }

    /// Decodes one sample after the first.
    @inline(__always)
    private mutating func step() { step(reader.peek()) }

    /// Decodes one sample after the first, whose bits start with `bits`.
    @inline(__always)
    private mutating func step(_ bits: UInt64) {
        // The candidates for `1 0 0` + the bits in the previous window, and `1 0 1` + 6 bits
        // of leading zeros + 6 bits of length + the bits, are computed whatever the sample
        // is and selected with masks: the compiler turns conditionals into branches, and for
        // a counter those would be mispredicted about every other sample.
        let changed = Int(truncatingIfNeeded: bits &>> 63)
        let changedMask = 0 &- changed
        let freshMask = 0 &- Int(truncatingIfNeeded: bits &>> 61 & 1)
        let leading = Int(truncatingIfNeeded: bits &>> 55 & 63) & freshMask | state.leading & ~freshMask
        let length = Int(truncatingIfNeeded: bits &>> 49 & 63) & freshMask
            | (64 &- state.leading &- state.trailing) & ~freshMask
        let header = 15 & freshMask | 3 & ~freshMask
        let trailing = 64 &- leading &- length
        // The general path: a changed interval (`1 1`), a 64-bit (or no) window, or bits that
        // do not fit in the word peeked; each test is a sign bit, and one branch takes them
        // all. Rare in a store's chunks, so well predicted.
        let general = Int(truncatingIfNeeded: bits &<< 1) | (length &- 1) | (64 &- header &- length) | trailing
        if changed & Int(truncatingIfNeeded: UInt(bitPattern: general) &>> 63) != 0 {
            reader.skip(1)
            readChangedSample()
            return
        }
        let xor = ((bits &<< UInt64(truncatingIfNeeded: header)) &>> UInt64(truncatingIfNeeded: 64 &- length))
            &<< UInt64(truncatingIfNeeded: trailing)
        state.value ^= xor & UInt64(bitPattern: Int64(changedMask))
        state.leading = leading & changedMask | state.leading & ~changedMask
        state.trailing = trailing & changedMask | state.trailing & ~changedMask
        state.hasWindow = state.hasWindow || changed == 1
        reader.skip(1 &+ (header &+ length &- 1) & changedMask)
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
