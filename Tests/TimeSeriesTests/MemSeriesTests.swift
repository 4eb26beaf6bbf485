import PropertyBased
import Testing
@testable import TimeSeries

/// One series' chunks: cuts by count and by span, closed chunks kept back to back in one
/// word array, and retention cutting that array from the front.
@Suite struct MemSeriesTests {
    /// Every sample held, decoded chunk by chunk through the views reads use.
    static func decoded(_ series: MemSeries) -> [Sample] {
        var out: [Sample] = []
        series.forEachChunk { chunk in
            let padded = Array(chunk.words) + [chunk.tail, 0]
            padded.withUnsafeBufferPointer { words in
                var iterator = XORIterator(reader: BitReader(padded: words.baseAddress!, count: words.count), count: chunk.count)
                while let sample = iterator.next() { out.append(sample) }
            }
        }
        return out
    }

    @Test func chunksAreCutByCountAndBySpan() {
        var series = MemSeries()
        for i in 0..<250 { series.append(Int64(i) * 5000, Double(i)) }
        #expect(series.chunkCount == 3)
        // A gap longer than a chunk's span cuts the head early.
        series.append(250 * 5000 + MemSeries.maxChunkSpan, 1)
        #expect(series.chunkCount == 4)
        #expect(series.sampleCount == 251)
        #expect(Self.decoded(series).count == 251)
    }

    /// Random series, truncated at random times and appended to again: what remains is
    /// always a suffix of what was appended that keeps every sample at or after the cut
    /// (whole chunks are dropped), and the counts agree with the decoded samples.
    @Test func truncationKeepsASuffixAndAppendsContinue() async {
        let steps = zip(Gen.int64(in: 1...9000), Gen.int(in: 0...20)).array(of: 1...700)
        await propertyCheck(input: steps, Gen.int(in: 0...100), Gen.int(in: 0...100)) { steps, firstCut, secondCut in
            var series = MemSeries()
            var appended: [Sample] = []
            var timestamp: Int64 = 0
            for (gap, value) in steps {
                // Now and then a gap of over an hour, so that spans cut chunks too.
                timestamp += value == 20 ? MemSeries.maxChunkSpan + gap : gap
                series.append(timestamp, Double(value))
                appended.append(Sample(timestamp, Double(value)))
            }
            for cutPercent in [firstCut, secondCut] {
                let cut = appended.isEmpty ? 0 : appended[min(appended.count - 1, appended.count * cutPercent / 100)].timestamp
                _ = series.truncate(before: cut)
                let held = Self.decoded(series)
                #expect(held == Array(appended.suffix(held.count)))
                #expect(held.first.map { $0.timestamp <= cut } ?? true || held.count == appended.count)
                #expect(appended.filter { $0.timestamp >= cut }.count <= held.count)
                #expect(series.sampleCount == held.count)
                #expect(series.chunkCount >= (held.count + MemSeries.samplesPerChunk - 1) / MemSeries.samplesPerChunk)
                appended = held
                // Appending after a cut continues the series.
                timestamp += 5000
                series.append(timestamp, 42)
                appended.append(Sample(timestamp, 42))
                #expect(Self.decoded(series) == appended)
            }
        }
    }
}
