import CPrefetch
import Synchronization

/// The time-windowed, compressed sample store: the exporter appends each collection to it,
/// the rule engine and the HTTP API read ranges from it.
///
/// - Samples live in Gorilla-style chunks (`XORChunk`, about one bit per unchanged sample).
/// - Series are found through postings lists (`SeriesIndex`), never by a scan of all series.
/// - Appends of one collection share a timestamp; out-of-order, duplicate and too-old samples
///   are refused, counted (`stats`) and returned in `AppendResult`.
/// - Series a source stops reporting get a staleness marker.
/// - Chunks wholly older than the retention window (counted back from the latest timestamp
///   appended) are dropped.
///
/// Concurrency: one writer and any number of readers. Everything sits behind one `Mutex`;
/// a reader holds it only to copy the words of the chunks it needs into a buffer of its own
/// (`PickedChunks`), and decodes them after releasing it, so reads do not hold up appends
/// for long. A `select` of thousands of series is decoded on all cores (`ParallelDecoder`).
public final class Store: Querier, Appender, Sendable {
    let head: Mutex<Head>

    /// Creates an empty store that keeps at least `retention` milliseconds of history.
    public init(retention: Int64 = 3_600_000) {
        head = Mutex(Head(retention: max(0, retention)))
    }

    /// A store around a head restored from a snapshot.
    init(head: Head) {
        self.head = Mutex(head)
    }

    /// How much history is kept, in milliseconds, counted back from the latest timestamp.
    public var retention: Int64 { head.withLock { $0.retention } }

    /// Widens the retention window to at least `minimum` milliseconds (never narrows it): the
    /// rule loader calls it with the longest range or `for` duration among the rules.
    public func raiseRetention(toAtLeast minimum: Int64) {
        head.withLock { $0.retention = max($0.retention, minimum) }
    }

    @discardableResult
    public func append(source: String, timestamp: Int64, samples: [(Labels, Double)]) -> AppendResult {
        head.withLock { $0.append(source: source, timestamp: timestamp, samples: samples) }
    }

    /// Appends one sample to one series (for loading test series). Returns why it was refused,
    /// or nil when it was appended. Involves no source, so it never writes staleness markers.
    @discardableResult
    public func append(_ labels: Labels, _ sample: Sample) -> AppendResult.Rejection.Reason? {
        head.withLock { $0.append(labels, sample) }
    }

    public func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Series] {
        let picked = head.withLock { $0.pick(matchers, mint: mint, maxt: maxt) }
        return ParallelDecoder.series(picked, mint: mint, maxt: maxt)
    }

    /// Calls `body` for every series that satisfies all `matchers` and has samples in
    /// `mint...maxt`, in label order, with those samples (staleness markers included).
    ///
    /// Unlike `select`, it materializes one series at a time: the sample array handed to
    /// `body` is reused for the next series (keeping it is safe: it is then copied).
    public func forEachSeries(matching matchers: [LabelMatcher], mint: Int64, maxt: Int64,
                              _ body: (Labels, [Sample]) throws -> Void) rethrows {
        let picked = head.withLock { $0.pick(matchers, mint: mint, maxt: maxt) }
        try picked.forEachSeries(0..<picked.count, mint: mint, maxt: maxt, labels: true) { position, samples in
            try body(picked.labels(at: position), samples)
        }
    }

    /// `forEachSeries` without the label sets: each series' samples in `mint...maxt`, in label
    /// order. No label set is touched (each is a scattered heap object), so an aggregation of
    /// many series into one group reads them faster.
    public func forEachSeriesSamples(matching matchers: [LabelMatcher], mint: Int64, maxt: Int64,
                                     _ body: ([Sample]) throws -> Void) rethrows {
        let picked = head.withLock { $0.pick(matchers, mint: mint, maxt: maxt) }
        try picked.forEachSeries(0..<picked.count, mint: mint, maxt: maxt) { _, samples in try body(samples) }
    }

    /// The latest sample of every series that satisfies all `matchers`, in label order; for
    /// exposition and instant reads of "now". Series whose latest sample is a staleness
    /// marker are left out unless `includeStale`.
    public func latest(matching matchers: [LabelMatcher] = [], includeStale: Bool = false) -> [(labels: Labels, sample: Sample)] {
        head.withLock { head in
            head.index.commitOrder()
            return head.index.inLabelOrder(head.index.select(matchers)).compactMap { id in
                guard let last = head.series[Int(id)].last, includeStale || !StaleMarker.isStale(last.value)
                else { return nil }
                return (head.index.labels[Int(id)]!, last)
            }
        }
    }

    /// Every label name in the store, sorted (for `/api/v1/labels`).
    public func labelNames() -> [String] {
        head.withLock { $0.index.postings.keys.sorted() }
    }

    /// Every value of label `name` in the store, sorted (for `/api/v1/label/<name>/values`).
    public func labelValues(_ name: String) -> [String] {
        head.withLock { ($0.index.postings[name]?.keys).map { $0.sorted() } ?? [] }
    }
}

extension Head {
    /// Picks the matching series and their chunks that overlap `mint...maxt`, in label order.
    /// The label table is shared, not copied: if the writer adds or removes a series while
    /// the read is alive, copy-on-write copies the table once (one retain per series).
    mutating func pick(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> PickedChunks {
        index.commitOrder()
        let selected = index.inLabelOrder(index.select(matchers))
        // Room for about two full chunks of irregular counters per series, so a wide read's
        // arena is not regrown (and its fresh pages faulted in) several times; capacity that
        // is never written is never touched.
        var picked = PickedChunks(words: selected.count * 32)
        picked.labelTable = index.labels
        picked.ids.reserveCapacity(selected.count)
        picked.starts.reserveCapacity(selected.count + 1)
        // A short range needs one or two chunks per series.
        picked.chunks.reserveCapacity(selected.count * 2)
        // In label order, so that decoding (in label order) reads the arena front to back.
        series.withUnsafeMutableBufferPointer { series in
            // Series are visited in label order, so slots and chunks are scattered: prefetch
            // the slot a few series ahead, and what it points to a little less far ahead.
            let base = series.baseAddress!
            for (position, id) in selected.enumerated() {
                if position + 64 < selected.count {
                    // A slot spans three cache lines, four when it straddles them.
                    let slot = UnsafeRawPointer(base + Int(selected[position + 64]))
                    khm_prefetch_far(slot)
                    khm_prefetch_far(slot + 64)
                    khm_prefetch_far(slot + MemoryLayout<MemSeries>.size - 1)
                    if MemoryLayout<MemSeries>.size > 128 { khm_prefetch_far(slot + 128) }
                }
                if position + 16 < selected.count { base[Int(selected[position + 16])].prefetch(for: mint) }
                let before = picked.chunks.count
                // An inout access lends the slot in place; a read of `series[id]`, even
                // through a buffer pointer, copied it (retaining its chunk arrays: a cache
                // miss on each one's reference count, for every series).
                picked.copyChunks(of: &series[Int(id)], overlapping: mint, maxt)
                guard picked.chunks.count > before else { continue }
                picked.ids.append(id)
                picked.starts.append(Int32(picked.chunks.count))
            }
        }
        return picked
    }

}
