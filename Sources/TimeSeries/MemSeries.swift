import CPrefetch

/// The samples of one series in memory: closed chunks, oldest first, and the open head chunk.
///
/// A chunk is cut when it holds `MemSeries.samplesPerChunk` samples or spans
/// `MemSeries.maxChunkSpan`, so retention can drop whole chunks and a range read decodes
/// little more than it needs.
struct MemSeries: Sendable {
    /// Samples per chunk before a cut: Prometheus's 120 (10 minutes at a 5 s interval).
    static let samplesPerChunk = 120
    /// The longest time a chunk spans, in milliseconds (sparse series cut by time).
    static let maxChunkSpan: Int64 = 3_600_000

    /// Closed chunks, oldest first; never modified again.
    private(set) var closed: [XORChunk] = []
    /// The chunk being appended to (possibly empty).
    private(set) var head = XORChunk()

    /// The latest sample, if any.
    var last: Sample? {
        if head.count > 0 { return head.lastSample }
        return closed.last?.lastSample
    }

    /// Whether the series holds no sample.
    var isEmpty: Bool { head.count == 0 && closed.isEmpty }

    /// The number of chunks (the head counts once it holds a sample).
    var chunkCount: Int { closed.count + (head.count > 0 ? 1 : 0) }

    /// Checks a sample against the latest one: nil when it may be appended.
    func check(_ timestamp: Int64) -> AppendResult.Rejection.Reason? {
        guard let last else { return nil }
        if timestamp < last.timestamp { return .outOfOrder }
        if timestamp == last.timestamp { return .duplicateTimestamp }
        return nil
    }

    /// Appends a sample that passed `check`.
    mutating func append(_ timestamp: Int64, _ value: Double) {
        if head.count >= Self.samplesPerChunk || (head.count > 0 && !timestamp.isWithin(Self.maxChunkSpan, after: head.minTime)) {
            closed.append(head)
            head = XORChunk()
        }
        head.append(timestamp, value)
    }

    /// Restores a chunk read from a snapshot: chunks arrive oldest first, the last one becomes
    /// the head (so appends continue in it).
    mutating func restore(_ chunk: XORChunk) {
        if head.count > 0 { closed.append(head) }
        head = chunk
    }

    /// Drops every chunk whose samples are all older than `minTime`; returns how many.
    mutating func truncate(before minTime: Int64) -> Int {
        let old = closed.prefix { $0.maxTime < minTime }.count
        closed.removeFirst(old)
        if closed.isEmpty && head.count > 0 && head.maxTime < minTime {
            head = XORChunk()
            return old + 1
        }
        return old
    }

    /// Every chunk, oldest first, including a non-empty head.
    var chunks: [XORChunk] { head.count > 0 ? closed + [head] : closed }

    /// Calls `body` with each chunk, oldest first, that may hold samples in `mint...maxt`.
    func forEachChunk(overlapping mint: Int64, _ maxt: Int64, _ body: (XORChunk) -> Void) {
        // Closed chunks end before the head starts: when the head starts at or before `mint`,
        // none of them can overlap, and their array (a separate heap object) is not touched.
        if head.count > 0 && head.minTime <= mint {
            if head.maxTime >= mint && head.minTime <= maxt { body(head) }
            return
        }
        // Closed chunks are in time order: skip the old ones from the end backwards. Through a
        // buffer pointer, so each chunk is lent in place (no slice or chunk copy, no retain).
        closed.withUnsafeBufferPointer { closed in
            var first = closed.count
            while first > 0 && closed[first - 1].maxTime >= mint { first -= 1 }
            for index in first..<closed.count where closed[index].minTime <= maxt { body(closed[index]) }
        }
        if head.count > 0 && head.maxTime >= mint && head.minTime <= maxt { body(head) }
    }

    /// Starts loading what `forEachChunk` will touch first (the head's words, or the closed
    /// chunks' array when the head does not reach back to `mint`), so that a wide read
    /// overlaps the cache misses of several series instead of taking them one by one.
    func prefetch(for mint: Int64) {
        if head.count > 0 && head.minTime <= mint {
            khm_prefetch(head.stream.wordsAddress)
        } else {
            khm_prefetch(closed.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) })
        }
    }

    /// The bytes the encoded samples take.
    var byteCount: Int { closed.reduce(head.byteCount) { $0 + $1.byteCount } }

    /// The number of samples held.
    var sampleCount: Int { closed.reduce(head.count) { $0 + $1.count } }
}

extension Int64 {
    /// Whether `self - start < span`, without overflowing for extreme timestamps.
    func isWithin(_ span: Int64, after start: Int64) -> Bool {
        let (distance, overflow) = subtractingReportingOverflow(start)
        return !overflow && distance < span
    }
}
