/// Decodes an `XORChunk`'s samples in order (see `XORChunk.withIterator`; the encoding is
/// described on `XORChunk`). It reads the chunk's raw storage and must not escape.
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
        if !started {
            started = true
            timestamp = Int64(bitPattern: reader.read(bits: 64))
            state.value = reader.read(bits: 64)
            return Sample(timestamp, Double(bitPattern: state.value))
        }
        // One look at the next word settles the two commonest cases: `0` (same interval, same
        // value) and `1 0 0` + bits (same interval, value changed within the last window).
        let bits = reader.peek()
        let length = 64 - state.leading - state.trailing
        if bits &>> 63 == 0 {
            reader.skip(1)
            timestamp &+= state.delta
        } else if bits &>> 61 == 0b100 && state.hasWindow && length <= 61 {
            reader.skip(3 + length)
            timestamp &+= state.delta
            state.value ^= ((bits &<< 3) &>> UInt64(64 - length)) &<< UInt64(state.trailing)
        } else if bits &>> 61 == 0b101, let window = Self.newWindow(bits) {
            // `1 0 1` + 6 bits leading + 6 bits length + the bits: a counter's usual step.
            reader.skip(15 + window.length)
            timestamp &+= state.delta
            state.leading = window.leading
            state.trailing = 64 - window.leading - window.length
            state.hasWindow = true
            state.value ^= ((bits &<< 15) &>> UInt64(64 - window.length)) &<< UInt64(state.trailing)
        } else {
            reader.skip(1)
            readChangedSample()
        }
        return Sample(timestamp, Double(bitPattern: state.value))
    }

    /// Appends to `out` the remaining samples with `mint <= t <= maxt`, assuming increasing
    /// timestamps (stops at the first one past `maxt`). Runs of "same interval, same value"
    /// samples are decoded a word at a time.
    mutating func decode(into out: inout [Sample], mint: Int64, maxt: Int64) {
        // Work on a local copy: with every step inlined, its fields live in registers instead
        // of memory that the compiler must assume `out`'s stores could touch.
        var local = self
        local.decodeLocally(into: &out, mint: mint, maxt: maxt)
        self = local
    }

    @inline(__always)
    private mutating func decodeLocally(into out: inout [Sample], mint: Int64, maxt: Int64) {
        while remaining > 0 {
            if started {
                // Leading zero bits of the next word are consecutive unchanged samples.
                let run = min(reader.peek().leadingZeroBitCount, remaining)
                if run > 0 {
                    reader.skip(run)
                    remaining -= run
                    let value = Double(bitPattern: state.value)
                    for _ in 0..<run {
                        timestamp &+= state.delta
                        if timestamp > maxt { remaining = 0; return }
                        if timestamp >= mint { out.append(Sample(timestamp, value)) }
                    }
                    continue
                }
            }
            guard let sample = next() else { return }
            if sample.timestamp > maxt { remaining = 0; return }
            if sample.timestamp >= mint { out.append(sample) }
        }
    }

    /// Decodes a sample whose control bit was `1`: a timestamp code, then a value code.
    @inline(__always)
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

    /// The new window announced at bit 3 of `bits`, when it and its bits fit in `bits`.
    @inline(__always)
    private static func newWindow(_ bits: UInt64) -> (leading: Int, length: Int)? {
        let leading = Int((bits &>> 55) & 63)
        let raw = Int((bits &>> 49) & 63)
        let length = raw == 0 ? 64 : raw
        return leading + length <= 64 && length <= 49 ? (leading, length) : nil
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
