import PropertyBased
import Testing
@testable import TimeSeries

/// The store's three range reads against a plain model of what was appended: random series
/// (gauges, counters, flips, arbitrary bit patterns, mostly regular intervals so that every
/// fast path of the decoder runs, across chunk cuts) read over random ranges.
@Suite struct StoreReadPropertyTests {
    /// Per series: a topic (for label order), then its samples' modes and gaps.
    static let stores = zip(Gen.int(in: 0...999), Gen.int(in: 0...99).array(of: 0...400), Gen.uint64())
        .array(of: 1...12)

    @Test func rangeReadsReturnExactlyWhatWasAppended() async {
        // Range ends on the 5 s grid, or a millisecond or two off it, so that the boundaries
        // often fall exactly on a sample.
        let ends = zip(Gen.int64(in: -12...420), Gen.int64(in: -2...2), Gen.int64(in: 0...420), Gen.int64(in: -2...2))
        await propertyCheck(input: Self.stores, ends) { specs, ends in
            let mint = ends.0 * 5000 + ends.1
            let width = max(0, ends.2 * 5000 + ends.3)
            let store = Store(retention: .max / 4)
            var model: [Labels: [Sample]] = [:]
            for (topic, modes, seed) in specs {
                let labels: Labels = ["__name__": "m", "topic": "t\(topic)"]
                guard model[labels] == nil else { continue }
                var random = seed
                var timestamp: Int64 = 0
                var value = 100.0
                var samples: [Sample] = []
                for mode in modes {
                    random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    timestamp += mode == 99 ? 5000 + Int64(random >> 60) : 5000
                    switch mode {
                    case 0..<50: break
                    case 50..<80: value += Double(1 + random >> 54)
                    case 80..<90: value = value == 0 ? 1 : 0
                    case 90..<97: value = Double(bitPattern: random)
                    default: value = StaleMarker.value
                    }
                    #expect(store.append(labels, Sample(timestamp, value)) == nil)
                    samples.append(Sample(timestamp, value))
                }
                model[labels] = samples
            }
            let maxt = mint + width
            let expected = model.keys.sorted().compactMap { labels -> Series? in
                let samples = model[labels]!.filter { $0.timestamp >= mint && $0.timestamp <= maxt }
                return samples.isEmpty ? nil : Series(labels: labels, samples: samples)
            }
            var streamed: [Series] = []
            store.forEachSeries(matching: [], mint: mint, maxt: maxt) { streamed.append(Series(labels: $0, samples: $1)) }
            var samplesOnly: [[Sample]] = []
            store.forEachSeriesSamples(matching: [], mint: mint, maxt: maxt) { samplesOnly.append($0) }
            // Timestamps, and values by bit pattern so that NaN payloads compare too.
            func times(_ series: [[Sample]]) -> [[Int64]] { series.map { $0.map(\.timestamp) } }
            func bits(_ series: [[Sample]]) -> [[UInt64]] { series.map { $0.map(\.value.bitPattern) } }
            let want = expected.map(\.samples)
            #expect(streamed.map(\.labels) == expected.map(\.labels))
            #expect(times(streamed.map(\.samples)) == times(want) && bits(streamed.map(\.samples)) == bits(want))
            let selected = store.select([], mint: mint, maxt: maxt)
            #expect(selected.map(\.labels) == expected.map(\.labels))
            #expect(times(selected.map(\.samples)) == times(want) && bits(selected.map(\.samples)) == bits(want))
            #expect(times(samplesOnly) == times(want) && bits(samplesOnly) == bits(want))
        }
    }
}
