import Testing
@testable import TimeSeries

@Suite struct StoreTests {
    static let up: Labels = ["__name__": "up", "job": "kafka"]
    static func gauge(_ topic: String) -> Labels { ["__name__": "kafka_offline_partitions", "topic": topic] }

    @Test func selectsRangesInLabelOrder() throws {
        let store = Store()
        for t in stride(from: Int64(0), through: 60_000, by: 5000) {
            store.append(source: "collector", timestamp: t, samples: [
                (Self.gauge("b"), Double(t)), (Self.gauge("a"), 1), (Self.up, 1),
            ])
        }
        let selected = store.select([try LabelMatcher(.equal, "__name__", "kafka_offline_partitions")],
                                    mint: 10_000, maxt: 20_000)
        #expect(selected.map(\.labels) == [Self.gauge("a"), Self.gauge("b")])
        #expect(selected[1].samples == [Sample(10_000, 10_000), Sample(15_000, 15_000), Sample(20_000, 20_000)])
        #expect(store.select([], mint: 0, maxt: 100_000).count == 3)
        #expect(store.select([], mint: 70_000, maxt: 80_000).isEmpty)
    }

    @Test(arguments: [
        (Int64(999), AppendResult.Rejection.Reason.outOfOrder),
        (Int64(1000), .duplicateTimestamp),
    ])
    func refusesOutOfOrderAndDuplicateSamples(timestamp: Int64, reason: AppendResult.Rejection.Reason) {
        let store = Store()
        store.append(source: "s", timestamp: 1000, samples: [(Self.up, 1)])
        let result = store.append(source: "s", timestamp: timestamp, samples: [(Self.up, 2)])
        #expect(result == AppendResult(appended: 0, rejected: [.init(labels: Self.up, timestamp: timestamp, reason: reason)]))
        #expect(store.append(Self.up, Sample(timestamp, 3)) == reason)
        #expect(store.stats.rejected[reason] == 2)
        #expect(store.stats.rejectedTotal == 2)
        #expect(store.select([], mint: 0, maxt: 2000).first?.samples == [Sample(1000, 1)])
    }

    @Test func refusesSamplesOlderThanTheWindow() {
        let store = Store(retention: 60_000)
        store.append(Self.up, Sample(100_000, 1))
        #expect(store.append(Self.gauge("a"), Sample(39_999, 1)) == .tooOld)
        #expect(store.append(Self.gauge("a"), Sample(40_000, 1)) == nil)
        let result = store.append(source: "s", timestamp: 1, samples: [(Self.up, 1)])
        #expect(result.rejected.map(\.reason) == [.tooOld])
    }

    @Test func marksSeriesAbsentFromABatchStale() {
        let store = Store()
        let (a, b) = (Self.gauge("a"), Self.gauge("b"))
        store.append(source: "s", timestamp: 1000, samples: [(a, 1), (b, 2)])
        store.append(source: "s", timestamp: 2000, samples: [(a, 1)])
        store.append(source: "s", timestamp: 3000, samples: [(a, 1)])
        // Another source's batches never mark this source's series stale.
        store.append(source: "other", timestamp: 3500, samples: [(Self.up, 1)])
        store.append(source: "s", timestamp: 4000, samples: [(a, 1), (b, 5)])
        let b_ = store.select([try! LabelMatcher(.equal, "topic", "b")], mint: 0, maxt: 5000)[0].samples
        #expect(b_ == [Sample(1000, 2), Sample(2000, StaleMarker.value), Sample(4000, 5)])
        #expect(store.select([try! LabelMatcher(.equal, "topic", "a")], mint: 0, maxt: 5000)[0].samples.count == 4)
        #expect(store.stats.staleMarkersAppended == 1)
        #expect(store.stats.samplesAppended == 7)
    }

    @Test func latestLeavesStaleSeriesOut() {
        let store = Store()
        store.append(source: "s", timestamp: 1000, samples: [(Self.gauge("a"), 1), (Self.gauge("b"), 2)])
        store.append(source: "s", timestamp: 2000, samples: [(Self.gauge("a"), 3)])
        #expect(store.latest().map(\.labels) == [Self.gauge("a")])
        #expect(store.latest().map(\.sample) == [Sample(2000, 3)])
        #expect(store.latest(includeStale: true).map(\.sample) == [Sample(2000, 3), Sample(2000, StaleMarker.value)])
    }

    /// With a 10-minute window and 5 s samples, after an hour every sample of the last 10
    /// minutes is there, whole chunks before it are gone, and at most one chunk straddles.
    @Test func retentionDropsWholeChunksBeforeTheWindow() {
        let retention: Int64 = 600_000
        let store = Store(retention: retention)
        let end: Int64 = 3_600_000
        for t in stride(from: Int64(0), through: end, by: 5000) {
            store.append(source: "s", timestamp: t, samples: [(Self.up, Double(t))])
        }
        let samples = store.select([], mint: .min, maxt: .max)[0].samples
        let oldest = samples.first!.timestamp
        #expect(oldest <= end - retention)
        // Truncation runs every tenth of the window; one 120-sample chunk may straddle.
        #expect(oldest > end - retention - retention / 10 - Int64(MemSeries.samplesPerChunk) * 5000)
        #expect(samples.map(\.timestamp) == Array(stride(from: oldest, through: end, by: 5000)))
        #expect(store.stats.chunksDropped > 0)
    }

    @Test func retentionRemovesSeriesLeftWithoutSamples() {
        let store = Store(retention: 60_000)
        store.append(source: "s", timestamp: 0, samples: [(Self.gauge("gone"), 1)])
        for t in stride(from: Int64(5000), through: 200_000, by: 5000) {
            store.append(source: "s", timestamp: t, samples: [(Self.up, 1)])
        }
        #expect(store.stats.series == 1)
        #expect(store.stats.seriesRemoved == 1)
        #expect(store.labelValues("topic").isEmpty)
        // The series comes back as a new one when it is written again.
        store.append(source: "s", timestamp: 205_000, samples: [(Self.up, 1), (Self.gauge("gone"), 2)])
        #expect(store.latest().count == 2)
    }

    @Test func retentionOnlyGrows() {
        let store = Store(retention: 60_000)
        store.raiseRetention(toAtLeast: 300_000)
        store.raiseRetention(toAtLeast: 120_000)
        #expect(store.retention == 300_000)
    }

    @Test func statsCountWhatIsHeld() {
        let store = Store()
        // Two full chunks per series: 120 samples each.
        for t in stride(from: Int64(0), to: 240 * 5000, by: 5000) {
            store.append(source: "s", timestamp: t, samples: [(Self.up, 1), (Self.gauge("a"), 0)])
        }
        let stats = store.stats
        #expect(stats.series == 2)
        #expect(stats.samples == 480)
        #expect(stats.chunks == 4)
        // A constant series costs 16 bytes for its first sample, 2 for the first interval,
        // then one bit per sample: 33 bytes per 120-sample chunk.
        #expect(stats.bytes == 4 * 33)
        #expect(stats.maxTime == Int64(239 * 5000))
    }

    @Test func labelNamesAndValuesAreSorted() {
        let store = Store()
        store.append(source: "s", timestamp: 0, samples: [(Self.gauge("b"), 1), (Self.gauge("a"), 1), (Self.up, 1)])
        #expect(store.labelNames() == ["__name__", "job", "topic"])
        #expect(store.labelValues("topic") == ["a", "b"])
        #expect(store.labelValues("nope") == [])
    }

    /// A select wide enough to be decoded by several workers gives exactly, in the same
    /// order, what the one-series-at-a-time read gives.
    @Test func wideSelectsMatchTheStreamingRead() {
        let store = Store()
        let series = (0..<(ParallelDecoder.minimumSeriesPerWorker * 3)).map { Self.gauge("t\($0)") }
        for t in 1...20 {
            store.append(source: "s", timestamp: Int64(t) * 1000, samples: series.enumerated().map { ($1, Double($0 * t)) })
        }
        var streamed: [Series] = []
        store.forEachSeries(matching: [], mint: 5000, maxt: 12_000) { streamed.append(Series(labels: $0, samples: $1)) }
        let selected = store.select([], mint: 5000, maxt: 12_000)
        #expect(selected.count == series.count)
        #expect(selected == streamed)
        #expect(selected.map(\.labels) == selected.map(\.labels).sorted())
    }

    /// Readers see whole batches while a writer appends (one writer, many readers).
    @Test func readersRunAlongsideTheWriter() async {
        let store = Store()
        let series = (0..<200).map { Self.gauge("t\($0)") }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for t in 1...300 {
                    store.append(source: "s", timestamp: Int64(t) * 1000, samples: series.map { ($0, Double(t)) })
                }
            }
            for _ in 0..<3 {
                group.addTask {
                    for _ in 0..<50 {
                        let selected = store.select([], mint: 0, maxt: .max)
                        // Every series has the same samples: a batch is never seen half-done.
                        let counts = Set(selected.map(\.samples.count))
                        #expect(counts.count <= 1)
                    }
                }
            }
        }
        #expect(store.stats.samplesAppended == 60_000)
    }
}

@Suite struct RetentionEdgeTests {
    /// Test loaders keep everything with a huge retention, negative timestamps included.
    @Test(arguments: [Int64.max, Int64.max / 4, Int64(1) << 50])
    func aHugeRetentionKeepsEverything(retention: Int64) {
        let store = Store(retention: retention)
        let week: Int64 = 7 * 86_400_000
        #expect(store.append(["__name__": "a"], Sample(-5_000, 1)) == nil)
        #expect(store.append(["__name__": "b"], Sample(100 * week, 1)) == nil)
        #expect(store.append(["__name__": "a"], Sample(-4_000, 1)) == nil)
        #expect(store.stats.samples == 3)
    }

    /// Timestamps at the ends of Int64 do not trap; the first is further back than even the
    /// longest window reaches, so retention drops it.
    @Test func extremeTimestampsDoNotOverflow() {
        let store = Store(retention: .max)
        #expect(store.append(["__name__": "b"], Sample(.min + 1, 1)) == nil)
        #expect(store.append(["__name__": "b"], Sample(.max - 1, 2)) == nil)
        #expect(store.select([], mint: .min, maxt: .max).first?.samples == [Sample(.max - 1, 2)])
    }
}
