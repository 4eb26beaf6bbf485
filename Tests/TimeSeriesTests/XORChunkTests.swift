import PropertyBased
import Testing
@testable import TimeSeries

@Suite struct XORChunkTests {
    static let specialValues: [Double] = [
        0, -0.0, 1, -1, .infinity, -.infinity, .nan, -.nan, StaleMarker.value,
        Double(bitPattern: 0x7ff8_dead_beef_0001), Double(bitPattern: 0xfff0_0000_0000_0001),
        .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
        Double(bitPattern: 0x000f_ffff_ffff_ffff), .greatestFiniteMagnitude, .pi, 1e-300,
    ]

    /// Encodes `samples` into one chunk and decodes them back.
    static func roundTrip(_ samples: [Sample]) -> [Sample] {
        var chunk = XORChunk()
        for sample in samples { chunk.append(sample.timestamp, sample.value) }
        #expect(chunk.count == samples.count)
        return chunk.samples
    }

    @Test func roundTripsSpecialDoublesBitForBit() {
        // Each special value next to every other, so every XOR between them is exercised.
        var samples: [Sample] = []
        for (i, a) in Self.specialValues.enumerated() {
            for b in Self.specialValues { samples += [Sample(Int64(samples.count) * 1000, a), Sample(Int64(samples.count) * 1000 + 7 * Int64(i), b)] }
        }
        #expect(Self.roundTrip(samples) == samples)
    }

    /// An XOR of every width from 1 to 64 bits at every shift, with timestamps whose delta of
    /// delta crosses every bucket boundary.
    @Test func roundTripsEveryXorWidthAndDodBucket() {
        let dods: [Int64] = [0, 1, -1, 8191, -8192, 8192, -8193, 65535, -65536, 65536,
                             524_287, -524_288, 524_288, -524_289, .max / 4, .min / 4]
        var samples: [Sample] = []
        var timestamp: Int64 = 1_700_000_000_000
        var delta: Int64 = 5000
        var bits: UInt64 = Double(42).bitPattern
        for width in 1...64 {
            for shift in stride(from: 0, through: 64 - width, by: 7) {
                let mask = width == 64 ? UInt64.max : ((1 << UInt64(width)) - 1) << UInt64(shift)
                bits ^= mask
                delta &+= dods[samples.count % dods.count]
                timestamp &+= delta
                samples.append(Sample(timestamp, Double(bitPattern: bits)))
            }
        }
        #expect(Self.roundTrip(samples) == samples)
    }

    @Test func constantSeriesCostOneBitPerSample() {
        var chunk = XORChunk()
        for i in 0..<121 { chunk.append(Int64(i) * 5000, 1) }
        // 128 bits for the first sample, then `1` `10`+14 bits `0` for the first interval,
        // then one bit per sample.
        #expect(chunk.stream.bitCount == 128 + 1 + 16 + 1 + 119)
    }

    /// Appending to a chunk rebuilt from its bytes midway gives the same bytes and samples as
    /// appending without a break (the appender state is recovered by decoding).
    @Test func appenderRestartedMidwayContinuesExactly() async {
        await propertyCheck(input: Self.sampleSequences, Gen.int(in: 0...300)) { samples, cut in
            var whole = XORChunk()
            for sample in samples { whole.append(sample.timestamp, sample.value) }
            let split = min(cut, samples.count)
            var first = XORChunk()
            for sample in samples[..<split] { first.append(sample.timestamp, sample.value) }
            guard var resumed = XORChunk(bytes: first.stream.bytes(), bitCount: first.stream.bitCount, count: split) else {
                Issue.record("chunk did not rebuild")
                return
            }
            for sample in samples[split...] { resumed.append(sample.timestamp, sample.value) }
            #expect(resumed.stream.bytes() == whole.stream.bytes())
            #expect(resumed.samples == samples)
            #expect(resumed.minTime == whole.minTime && resumed.maxTime == whole.maxTime)
        }
    }

    @Test func randomSamplesRoundTrip() async {
        await propertyCheck(input: Self.sampleSequences) { samples in
            #expect(Self.roundTrip(samples) == samples)
        }
    }

    @Test func rangeDecodingMatchesFilteringTheIteration() async {
        await propertyCheck(input: Self.increasingSamples, Gen.int64(in: 0...400_000), Gen.int64(in: 0...200_000)) { samples, mint, width in
            var chunk = XORChunk()
            for sample in samples { chunk.append(sample.timestamp, sample.value) }
            var decoded: [Sample] = []
            chunk.decode(into: &decoded, mint: mint, maxt: mint + width)
            #expect(decoded == samples.filter { $0.timestamp >= mint && $0.timestamp <= mint + width })
        }
    }

    /// The shapes a store is made of (a regular interval; runs of unchanged values, counter
    /// steps, flips, now and then an arbitrary value or a late sample), decoded over random
    /// ranges by the range decoder, which has fast paths for exactly these.
    @Test func rangeDecodingOfRegularSeriesMatchesFilteringTheInput() async {
        await propertyCheck(input: Self.regularSamples, Gen.int64(in: -10_000...700_000), Gen.int64(in: 0...700_000)) { samples, mint, width in
            var chunk = XORChunk()
            for sample in samples { chunk.append(sample.timestamp, sample.value) }
            #expect(chunk.samples == samples)
            var decoded: [Sample] = []
            chunk.decode(into: &decoded, mint: mint, maxt: mint + width)
            #expect(decoded == samples.filter { $0.timestamp >= mint && $0.timestamp <= mint + width })
        }
    }

    @Test func damagedStreamsAreRefusedNotTrapped() {
        var chunk = XORChunk()
        for i in 0..<50 { chunk.append(Int64(i) * 1000 + Int64(i % 3), Double(i % 7)) }
        let bytes = chunk.stream.bytes()
        #expect(XORChunk(bytes: bytes, bitCount: chunk.stream.bitCount, count: 49) == nil)
        #expect(XORChunk(bytes: bytes, bitCount: chunk.stream.bitCount, count: 51) == nil)
        var flipped = bytes
        flipped[20] ^= 0x10
        // A flipped bit decodes to something; it must not trap (the snapshot's checksum is
        // what catches it).
        _ = XORChunk(bytes: flipped, bitCount: chunk.stream.bitCount, count: 50)
    }

    /// Arbitrary timestamps and bit patterns, mixed with special values, repeats and regular
    /// intervals so that every code of the encoding is exercised.
    static let sampleSequences = zip(Gen.int64(), Gen.uint64(), Gen.int(in: 0...9)).array(of: 0...200).map { raw -> [Sample] in
        var out: [Sample] = []
        for (timestamp, bits, mode) in raw {
            let last = out.last ?? Sample(0, 0)
            switch mode {
            case 0...3: out.append(Sample(timestamp, Double(bitPattern: bits)))
            case 4, 5: out.append(Sample(timestamp, specialValues[Int(bits % UInt64(specialValues.count))]))
            case 6, 7: out.append(Sample(last.timestamp &+ 5000, last.value))
            default: out.append(Sample(last.timestamp &+ 5000 &+ Int64(bits % 3), Double(bitPattern: bits)))
            }
        }
        return out
    }

    /// A 5 s interval (now and then off by a few ms) and values that mostly stay, step up
    /// like a counter, flip like a 0/1 gauge, or jump to any bit pattern.
    static let regularSamples = zip(Gen.int(in: 0...99), Gen.uint64()).array(of: 0...130).map { steps in
        var timestamp: Int64 = 0
        var value = 100.0
        return steps.map { mode, bits -> Sample in
            timestamp += mode == 99 ? 5000 + Int64(bits % 7) : 5000
            switch mode {
            case 0..<50: break
            case 50..<80: value += Double(1 + bits % 1000)
            case 80..<90: value = value == 0 ? 1 : 0
            case 90..<95: value = Double(bitPattern: bits)
            default: value = specialValues[Int(bits % UInt64(specialValues.count))]
            }
            return Sample(timestamp, value)
        }
    }

    /// Increasing timestamps at a jittery 1 s interval, values from a small set.
    static let increasingSamples = zip(Gen.int64(in: 0...40), Gen.int(in: 0...3)).array(of: 0...300).map { steps in
        var timestamp: Int64 = 0
        return steps.map { jitter, value in
            timestamp += 980 + jitter
            return Sample(timestamp, [0, 1, 2.5, .nan][value])
        }
    }
}
