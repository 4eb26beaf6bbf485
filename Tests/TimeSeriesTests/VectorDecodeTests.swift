import CXORDecode
import PropertyBased
import Testing
@testable import TimeSeries

/// The vector decoder (`khm_xor_decode`, used where the CPU has AVX-512) against the general
/// one and against what was appended, and the checkpoints it starts from. Where the CPU lacks
/// AVX-512 the vector path hands every chunk back, so these tests check the fallback.
@Suite struct VectorDecodeTests {
    @Test func samplesHaveTheLayoutTheCDecoderWrites() {
        #expect(MemoryLayout<Sample>.size == MemoryLayout<khm_xor_sample>.size)
        #expect(MemoryLayout<Sample>.stride == MemoryLayout<khm_xor_sample>.stride)
        #expect(MemoryLayout<Sample>.offset(of: \Sample.timestamp) == 0)
        #expect(MemoryLayout<Sample>.offset(of: \Sample.value) == 8)
    }

    /// Appends one series of `count` samples of a kind: constant, a counter that changes at
    /// random, a 0/1 gauge, random bit patterns (64-bit windows), a counter with big jumps
    /// and staleness markers, or a counter with irregular intervals.
    static func samples(kind: Int, count: Int, seed: UInt64) -> [Sample] {
        var random = seed | 1
        func next() -> UInt64 {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return random >> 11
        }
        var timestamp: Int64 = 1_700_000_000_000
        var value = Double(next() % 1000)
        var out: [Sample] = []
        for _ in 0..<count {
            timestamp += kind == 5 && next() % 7 == 0 ? 5000 + Int64(next() % 3) - 1 : 5000
            switch kind {
            case 0: break
            case 1, 5: if next() % 2 == 0 { value += Double(1 + next() % 1000) }
            case 2: if next() % 10 == 0 { value = 1 - value }
            case 3: value = Double(bitPattern: next() << 11 | next())
            default:
                switch next() % 20 {
                case 0: value = StaleMarker.value
                case 1: value = Double(next() % 1_000_000_000)
                case 2...9: value += Double(next() % 10)
                default: value = value.isNaN ? 0 : value
                }
            }
            out.append(Sample(timestamp, value))
        }
        return out
    }

    static let stores = zip(Gen.int(in: 0...5), Gen.int(in: 1...400), Gen.uint64()).array(of: 1...40)

    /// Every series decoded both ways over a random range (often reaching past the last
    /// sample, so that reads start at checkpoints) gives what was appended.
    @Test func vectorAndGeneralDecodersAgree() async {
        let ranges = zip(Gen.int64(in: -2...400), Gen.int64(in: -2...2), Gen.int64(in: 0...420), Gen.bool)
        await propertyCheck(input: Self.stores, ranges) { specs, range in
            let store = Store(retention: .max / 4)
            var model: [Labels: [Sample]] = [:]
            for (index, (kind, count, seed)) in specs.enumerated() {
                let labels: Labels = ["__name__": "m", "series": "\(index)"]
                let samples = Self.samples(kind: kind, count: count, seed: seed)
                for sample in samples { #expect(store.append(labels, sample) == nil) }
                model[labels] = samples
            }
            let start: Int64 = 1_700_000_000_000
            let mint = start + range.0 * 5000 + range.1
            let maxt = range.3 ? Int64.max / 2 : mint + range.2 * 5000
            let picked = store.head.withLock { $0.pick([], mint: mint, maxt: maxt) }
            var vector: [[Sample]] = [], general: [[Sample]] = []
            picked.forEachSeries(0..<picked.count, mint: mint, maxt: maxt, vector: true) { vector.append($1) }
            picked.forEachSeries(0..<picked.count, mint: mint, maxt: maxt, vector: false) { general.append($1) }
            let expected = model.keys.sorted().map { model[$0]!.filter { $0.timestamp >= mint && $0.timestamp <= maxt } }
                .filter { !$0.isEmpty }
            #expect(vector == expected)
            #expect(general == expected)
        }
    }

    /// A chunk rebuilt from its bytes (a snapshot restore) has the checkpoints appending gave
    /// it, and decoding from any of them yields exactly the samples from there on.
    @Test func checkpointsSurviveARestoreAndDecodeExactly() async {
        await propertyCheck(input: Gen.int(in: 0...5), Gen.int(in: 1...120), Gen.uint64()) { kind, count, seed in
            let samples = Self.samples(kind: kind, count: count, seed: seed)
            var chunk = XORChunk()
            for sample in samples { chunk.append(sample.timestamp, sample.value) }
            let restored = XORChunk(bytes: chunk.stream.bytes(), bitCount: chunk.stream.bitCount, count: chunk.count)!
            for sample in samples {
                for mint in [sample.timestamp - 1, sample.timestamp, sample.timestamp + 1] {
                    let checkpoint = chunk.checkpoint(for: mint, maxt: .max)
                    #expect(restored.checkpoint(for: mint, maxt: .max) == checkpoint)
                    guard let checkpoint else { continue }
                    // Every sample at or after `mint` lies after the checkpoint, the first of
                    // them `skip` samples after it.
                    #expect(samples[checkpoint.index - 1].timestamp < mint)
                    #expect(samples[checkpoint.index + checkpoint.skip - 1].timestamp < mint)
                    #expect(checkpoint.index + checkpoint.skip == count || samples[checkpoint.index + checkpoint.skip].timestamp >= mint)
                    #expect(checkpoint.timestamp == samples[checkpoint.index - 1].timestamp)
                    let tail = chunk.stream.withReader { reader in
                        var iterator = XORIterator(reader: reader, count: count - checkpoint.index, resumingAt: checkpoint)
                        var out: [Sample] = []
                        while let sample = iterator.next() { out.append(sample) }
                        return out
                    }
                    let offset = tail.last!.value.bitPattern ^ chunk.lastValueBits
                    let recovered = tail.map { Sample($0.timestamp, Double(bitPattern: $0.value.bitPattern ^ offset)) }
                    #expect(recovered == Array(samples[checkpoint.index...]))
                }
            }
        }
    }

    /// A read of the last five minutes of 120 regular samples starts at the checkpoint before
    /// them, not at the first sample.
    @Test func aRecentRangeStartsAtACheckpoint() {
        var chunk = XORChunk()
        for sample in Self.samples(kind: 1, count: 120, seed: 7) { chunk.append(sample.timestamp, sample.value) }
        let checkpoint = chunk.checkpoint(for: chunk.maxTime - 300_000, maxt: chunk.maxTime)
        #expect(checkpoint?.index == 56)
        // A range that ends before the chunk does decodes from the start.
        #expect(chunk.checkpoint(for: chunk.maxTime - 300_000, maxt: chunk.maxTime - 1) == nil)
    }
}
