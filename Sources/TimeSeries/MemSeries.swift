import CPrefetch

/// The samples of one series in memory: closed chunks, oldest first, and the open head chunk.
///
/// A chunk is cut when it holds `MemSeries.samplesPerChunk` samples or spans
/// `MemSeries.maxChunkSpan`, so retention can drop whole chunks and a range read decodes
/// little more than it needs. Closed chunks' words lie back to back in one array per series,
/// each chunk's tail word included, described by `ClosedChunk` records: a series costs two
/// heap objects besides its head whatever its number of chunks (one per chunk cost about
/// 150 bytes of bookkeeping per 120 samples, more than a gauge's samples themselves).
///
/// Invariant: closed chunks exist only next to a non-empty head (a cut starts the new head
/// with the sample that caused it, a restore makes the last chunk the head, and retention
/// drops the head only with no closed chunk left).
struct MemSeries: Sendable {
    /// Samples per chunk before a cut: Prometheus's 120 (10 minutes at a 5 s interval).
    static let samplesPerChunk = 120
    /// The longest time a chunk spans, in milliseconds (sparse series cut by time).
    static let maxChunkSpan: Int64 = 3_600_000

    /// Where a closed chunk lies in `closedWords`, and what reading it needs.
    struct ClosedChunk: Sendable {
        /// The index of its first word in `closedWords`.
        var offset: Int
        /// The number of bits written; the chunk takes `bitCount / 64` full words and a tail word.
        var bitCount: Int
        var count: Int32
        var minTime: Int64
        var maxTime: Int64

        /// Full words and the tail word.
        var wordCount: Int { bitCount >> 6 + 1 }
    }

    /// The closed chunks' words, oldest first; only appended to and cut from the front.
    private(set) var closedWords: [UInt64] = []
    /// Closed chunks, oldest first; never modified again but for their offsets.
    private(set) var closed: [ClosedChunk] = []
    /// The chunk being appended to (possibly empty).
    private(set) var head = XORChunk()
    /// `closed.count` and `closedWords.count`, kept in the slot for `prefetch(for:)`.
    private var closedCounts: (records: Int32, words: Int32) = (0, 0)
    /// The last closed chunk's checkpoints, kept (apart, to keep the slot small) so that a
    /// recent range that starts in it, as one does for a while after every cut, need not
    /// decode it from its first sample. Older chunks drop theirs.
    private(set) var lastClosed: ClosedCheckpoints?

    /// What resuming inside the last closed chunk needs, besides its record.
    final class ClosedCheckpoints: Sendable {
        let checkpoints: Checkpoints
        let lastValueBits: UInt64
        let lastDelta: Int64

        init(_ chunk: XORChunk) {
            checkpoints = chunk.checkpoints
            lastValueBits = chunk.lastValueBits
            lastDelta = chunk.lastDelta
        }
    }

    /// The latest sample, if any.
    var last: Sample? { head.count > 0 ? head.lastSample : nil }

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
            closeHead()
        }
        head.append(timestamp, value)
    }

    /// Restores a chunk read from a snapshot: chunks arrive oldest first, the last one becomes
    /// the head (so appends continue in it). Empty chunks are ignored.
    mutating func restore(_ chunk: XORChunk) {
        guard chunk.count > 0 else { return }
        if head.count > 0 { closeHead() }
        head = chunk
    }

    /// Moves the head's words to the closed chunks and starts an empty head.
    private mutating func closeHead() {
        let offset = closedWords.count
        head.stream.words.withUnsafeBufferPointer { closedWords.append(contentsOf: $0) }
        closedWords.append(head.stream.tail)
        closed.append(ClosedChunk(offset: offset, bitCount: head.stream.bitCount, count: Int32(head.count),
                                  minTime: head.minTime, maxTime: head.maxTime))
        lastClosed = ClosedCheckpoints(head)
        closedCounts = (Int32(truncatingIfNeeded: closed.count), Int32(truncatingIfNeeded: closedWords.count))
        head = XORChunk()
    }

    /// Drops every chunk whose samples are all older than `minTime`; returns how many.
    mutating func truncate(before minTime: Int64) -> Int {
        let old = closed.prefix { $0.maxTime < minTime }.count
        if old > 0 {
            let cut = old == closed.count ? closedWords.count : closed[old].offset
            closedWords.removeFirst(cut)
            closed.removeFirst(old)
            if closed.isEmpty { lastClosed = nil }
            closedCounts = (Int32(truncatingIfNeeded: closed.count), Int32(truncatingIfNeeded: closedWords.count))
            for index in closed.indices { closed[index].offset -= cut }
        }
        if closed.isEmpty && head.count > 0 && head.maxTime < minTime {
            head = XORChunk()
            return old + 1
        }
        return old
    }

    /// Calls `body` with each chunk, oldest first, including a non-empty head.
    func forEachChunk(_ body: (ChunkView) throws -> Void) rethrows {
        try closedWords.withUnsafeBufferPointer { words in
            for chunk in closed { try body(view(of: chunk, in: words)) }
        }
        if head.count > 0 { try headView(body) }
    }

    /// The usual recent range, without the general chunk walk: when the head alone covers
    /// `mint`, or the last closed chunk and the head do, copies them into `picked` (each from
    /// its checkpoint when it has one) and returns true; otherwise copies nothing.
    @inline(__always)
    func copyRecent(into picked: inout PickedChunks, ifCovering mint: Int64, _ maxt: Int64) -> Bool {
        guard head.count > 0 else { return false }
        if head.minTime > mint {
            // The last closed chunk and the head.
            guard let lastClosed, let chunk = closed.last, chunk.minTime <= mint, head.minTime <= maxt else { return false }
            if chunk.maxTime >= mint {
                let resume = lastClosed.checkpoints.checkpoint(
                    for: mint, maxt: maxt, count: Int(chunk.count), minTime: chunk.minTime, maxTime: chunk.maxTime,
                    delta: lastClosed.lastDelta, &picked.quotients)
                closedWords.withUnsafeBufferPointer { words in
                    let start = chunk.offset + ((resume?.position ?? 0) >> 6), tail = chunk.offset + chunk.wordCount - 1
                    picked.copy(UnsafeBufferPointer(rebasing: words[start..<tail]), tail: words[tail], count: Int(chunk.count),
                                resume: resume, lastValueBits: lastClosed.lastValueBits)
                }
            }
            head.stream.words.withUnsafeBufferPointer { words in
                picked.copy(words, tail: head.stream.tail, count: head.count, resume: nil, lastValueBits: 0)
            }
            return true
        }
        guard head.maxTime >= mint && head.minTime <= maxt else { return true }
        let resume = head.checkpoint(for: mint, maxt: maxt, &picked.quotients)
        head.stream.words.withUnsafeBufferPointer { words in
            picked.copy(UnsafeBufferPointer(rebasing: words[((resume?.position ?? 0) >> 6)...]), tail: head.stream.tail,
                        count: head.count, resume: resume, lastValueBits: head.lastValueBits)
        }
        return true
    }

    /// Calls `body` with each chunk, oldest first, that may hold samples in `mint...maxt`.
    func forEachChunk(overlapping mint: Int64, _ maxt: Int64, _ body: (ChunkView) -> Void) {
        // Closed chunks end before the head starts: when the head starts at or before `mint`,
        // none of them can overlap, and their arrays (separate heap objects) are not touched.
        if head.count > 0 && head.minTime <= mint {
            if head.maxTime >= mint && head.minTime <= maxt { headView(resumingFor: mint, maxt, body) }
            return
        }
        // Closed chunks are in time order: skip the old ones from the end backwards.
        closed.withUnsafeBufferPointer { closed in
            closedWords.withUnsafeBufferPointer { words in
                var first = closed.count
                while first > 0 && closed[first - 1].maxTime >= mint { first -= 1 }
                for index in first..<closed.count where closed[index].minTime <= maxt {
                    var view = view(of: closed[index], in: words)
                    // The last closed chunk may be resumed at a checkpoint.
                    if index == closed.count - 1, let lastClosed {
                        var quotients = LastQuotient()
                        let chunk = closed[index]
                        view.resume = lastClosed.checkpoints.checkpoint(
                            for: mint, maxt: maxt, count: Int(chunk.count), minTime: chunk.minTime, maxTime: chunk.maxTime,
                            delta: lastClosed.lastDelta, &quotients)
                        view.lastValueBits = lastClosed.lastValueBits
                    }
                    body(view)
                }
            }
        }
        if head.count > 0 && head.maxTime >= mint && head.minTime <= maxt { headView(resumingFor: mint, maxt, body) }
    }

    /// Starts loading what `forEachChunk(overlapping:)` will touch: the head's words and,
    /// when the head does not reach back to `mint`, the closed chunks' arrays, the last
    /// closed chunk's record and words, and its checkpoints. So a wide read overlaps the
    /// cache misses of several series instead of taking them one by one. Only references
    /// and counts kept in the slot are read, never the objects, and nothing is retained:
    /// `mutating` only so that calls lend the series in place.
    mutating func prefetch(for mint: Int64) {
        // A head of counters spans four cache lines (with the array's header), a read
        // copies the last three or so.
        let words = Self.object(&head.stream.words)
        for line in 0..<4 { khm_prefetch_far(words + 64 * line) }
        if head.count == 0 || head.minTime > mint {
            // The arrays' headers, and their last record and words, located from the counts
            // kept in the slot (reading them from the headers would wait for the headers).
            let records = Self.object(&closed), closedWords = Self.object(&closedWords)
            khm_prefetch_far(records)
            khm_prefetch_far(closedWords)
            let last = records + Self.arrayHeader + Int(closedCounts.records - 1) * MemoryLayout<ClosedChunk>.stride
            khm_prefetch_far(last)
            khm_prefetch_far(last + MemoryLayout<ClosedChunk>.size - 1)
            let end = closedWords + Self.arrayHeader + Int(closedCounts.words - 1) * 8
            for line in 0..<4 { khm_prefetch_far(end - 64 * line) }
            if lastClosed != nil {
                let object = Self.object(&lastClosed)
                khm_prefetch_far(object)
                khm_prefetch_far(object + 64)
            }
        }
    }

    /// The bytes before a native array's first element (its storage object's header): for
    /// prefetch hints only, which a wrong value makes useless, never unsafe.
    private static let arrayHeader = 32

    /// The address of the object a reference (an array's storage, a class instance) points
    /// to, read without touching the object or retaining it.
    private static func object<T>(_ reference: inout T) -> UnsafeRawPointer {
        withUnsafeBytes(of: &reference) { UnsafeRawPointer(bitPattern: $0.load(as: UInt.self)) ?? UnsafeRawPointer(bitPattern: 64)! }
    }

    /// The bytes the encoded samples take.
    var byteCount: Int { closed.reduce(head.byteCount) { $0 + ($1.bitCount + 7) >> 3 } }

    /// The number of samples held.
    var sampleCount: Int { closed.reduce(head.count) { $0 + Int($1.count) } }

    private func view(of chunk: ClosedChunk, in words: UnsafeBufferPointer<UInt64>) -> ChunkView {
        ChunkView(words: UnsafeBufferPointer(rebasing: words[chunk.offset..<(chunk.offset + chunk.wordCount - 1)]),
                  tail: words[chunk.offset + chunk.wordCount - 1], bitCount: chunk.bitCount, count: Int(chunk.count),
                  minTime: chunk.minTime, maxTime: chunk.maxTime)
    }

    private func headView<Result>(_ body: (ChunkView) throws -> Result) rethrows -> Result {
        try head.stream.words.withUnsafeBufferPointer { words in
            try body(ChunkView(words: words, tail: head.stream.tail, bitCount: head.stream.bitCount, count: head.count,
                               minTime: head.minTime, maxTime: head.maxTime))
        }
    }

    /// The head's view for a read of `mint...maxt`, with the checkpoint to decode from.
    private func headView(resumingFor mint: Int64, _ maxt: Int64, _ body: (ChunkView) -> Void) {
        headView { view in
            var view = view
            view.resume = head.checkpoint(for: mint, maxt: maxt)
            view.lastValueBits = head.lastValueBits
            body(view)
        }
    }
}

/// One chunk of a series as stored, lent for the duration of a call: its full words, its tail
/// word, and what decoding needs. It must not escape the call that lends it.
struct ChunkView {
    var words: UnsafeBufferPointer<UInt64>
    var tail: UInt64
    var bitCount: Int
    var count: Int
    var minTime: Int64
    var maxTime: Int64
    /// Where a read may start decoding instead of the first sample (see `XORChunk`), and the
    /// last value's bits, which undo the values' offset from there.
    var resume: Checkpoint? = nil
    var lastValueBits: UInt64 = 0

    /// The stream as bytes, big-endian, the last byte padded with zero bits (the snapshot's
    /// form, `BitStream.bytes()`).
    func bytes() -> [UInt8] { BitStream.bytes(words: words, tail: tail, bitCount: bitCount) }
}

extension Int64 {
    /// Whether `self - start < span`, without overflowing for extreme timestamps.
    func isWithin(_ span: Int64, after start: Int64) -> Bool {
        let (distance, overflow) = subtractingReportingOverflow(start)
        return !overflow && distance < span
    }
}
