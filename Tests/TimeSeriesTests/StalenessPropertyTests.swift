import PropertyBased
import Testing
@testable import TimeSeries

@Suite struct StalenessPropertyTests {
    static let names = (0..<6).map { Labels(["__name__": "m", "i": "\($0)"]) }

    /// The staleness rule as a reference model: a series in the previous batch and not in
    /// this one gets one marker at this batch's timestamp.
    static func model(_ batches: [[Int]]) -> [Labels: [Sample]] {
        var expected: [Labels: [Sample]] = [:]
        var previous: Set<Int> = []
        for (step, batch) in batches.enumerated() {
            let t = Int64(step + 1) * 1000
            let present = Set(batch)
            for i in batch.sorted() { expected[names[i], default: []].append(Sample(t, Double(i * 100 + step))) }
            for i in previous.subtracting(present) { expected[names[i], default: []].append(Sample(t, StaleMarker.value)) }
            previous = present
        }
        return expected
    }

    /// Random batches (each a random subset of six series, in random order, sometimes empty)
    /// leave exactly the samples and markers the model predicts, whatever the chunk cuts.
    @Test func batchesLeaveWhatTheModelPredicts() async {
        let batch = Gen.int(in: 0...5).set(ofAtMost: 0...6).map { Array($0) }
        await propertyCheck(input: batch.array(of: 1...300)) { batches in
            let store = Store()
            for (step, batch) in batches.enumerated() {
                let t = Int64(step + 1) * 1000
                let result = store.append(source: "s", timestamp: t,
                                          samples: batch.map { (Self.names[$0], Double($0 * 100 + step)) })
                #expect(result.rejected.isEmpty)
            }
            let stored = Dictionary(uniqueKeysWithValues: store.select([], mint: .min, maxt: .max).map { ($0.labels, $0.samples) })
            #expect(stored == Self.model(batches))
        }
    }
}
