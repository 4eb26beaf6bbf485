import CPrefetch

/// The samples of one series in memory: closed chunks, oldest first, and the open head chunk.
///
/// A chunk is cut when it holds `MemSeries.samplesPerChunk` samples or spans
/// `MemSeries.maxChunkSpan`, so retention can drop whole chunks and a range read decodes
/// little more than it needs. Closed chunks' words lie back to back in one array per series,
/// each chunk's tail word included, described by `ClosedChunk` records: a series costs three
/// heap objects besides its head whatever its number of chunks (one per chunk cost about
/// 150 bytes of bookkeeping per 120 samples, more than a gauge's samples themselves). The
/// last closed chunk waits in its own object (`LastClosedChunk`, with its checkpoints) until
/// the next cut, because recent reads need it.
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
    /// The last closed chunk, kept apart from the older ones with what reads of it need, so
    /// that a recent range that starts in it, as one does for a while after every cut,
    /// reaches one object for it and can resume at a checkpoint. It joins `closed` at the
    /// next cut.
    private(set) var lastClosed: LastClosedChunk?

    /// The latest sample, if any.
    var last: Sample? { head.count > 0 ? head.lastSample : nil }

    /// Whether the series holds no sample.
    var isEmpty: Bool { head.count == 0 && closed.isEmpty && lastClosed == nil }

    /// The number of chunks (the head counts once it holds a sample).
    var chunkCount: Int { closed.count + (lastClosed != nil ? 1 : 0) + (head.count > 0 ? 1 : 0) }

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

    /// Closes the head (the previous last closed chunk joins the older ones) and starts an
    /// empty head.
    private mutating func closeHead() {
        if let previous = lastClosed {
            var record = previous.record
            record.offset = closedWords.count
            previous.withView { chunk in
                closedWords.append(contentsOf: chunk.words)
                closedWords.append(chunk.tail)
            }
            closed.append(record)
        }
        lastClosed = LastClosedChunk(head)
        head = XORChunk()
    }

    /// Drops every chunk whose samples are all older than `minTime`; returns how many.
    mutating func truncate(before minTime: Int64) -> Int {
        var dropped = closed.prefix { $0.maxTime < minTime }.count
        if dropped > 0 {
            let cut = dropped == closed.count ? closedWords.count : closed[dropped].offset
            closedWords.removeFirst(cut)
            closed.removeFirst(dropped)
            for index in closed.indices { closed[index].offset -= cut }
        }
        guard closed.isEmpty else { return dropped }
        if let lastClosed, lastClosed.record.maxTime < minTime {
            self.lastClosed = nil
            dropped += 1
        }
        if lastClosed == nil && head.count > 0 && head.maxTime < minTime {
            head = XORChunk()
            dropped += 1
        }
        return dropped
    }

    /// Calls `body` with each chunk, oldest first, including a non-empty head.
    func forEachChunk(_ body: (ChunkView) throws -> Void) rethrows {
        try closedWords.withUnsafeBufferPointer { words in
            for chunk in closed { try body(view(of: chunk, in: words)) }
        }
        try lastClosed?.withView(body)
        if head.count > 0 { try headView(body) }
    }

    /// The usual recent range, without the general chunk walk: when the head alone covers
    /// `mint`, or the last closed chunk and the head do, copies them into `picked` (each from
    /// its checkpoint when it has one) and returns true; otherwise copies nothing. `mutating`
    /// only so that the last closed chunk is reached in place: a copy of its reference is a
    /// retain and a release, each a write to a scattered object.
    @inline(__always)
    mutating func copyRecent(into picked: inout PickedChunks, ifCovering mint: Int64, _ maxt: Int64) -> Bool {
        guard head.count > 0 else { return false }
        if head.minTime > mint {
            // The last closed chunk and the head.
            guard lastClosed != nil, lastClosed!.record.minTime <= mint, head.minTime <= maxt else { return false }
            if lastClosed!.record.maxTime >= mint {
                var quotients = picked.quotients
                lastClosed!.withView(resumingFor: mint, maxt, &quotients) { picked.copy($0) }
                picked.quotients = quotients
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
        // Closed chunks are in time order: skip the old ones from the end backwards. The last
        // closed chunk may be resumed at a checkpoint.
        if lastClosed.map({ $0.record.minTime > mint }) ?? true {
            closed.withUnsafeBufferPointer { closed in
                closedWords.withUnsafeBufferPointer { words in
                    var first = closed.count
                    while first > 0 && closed[first - 1].maxTime >= mint { first -= 1 }
                    for index in first..<closed.count where closed[index].minTime <= maxt {
                        body(view(of: closed[index], in: words))
                    }
                }
            }
        }
        if let lastClosed, lastClosed.record.maxTime >= mint && lastClosed.record.minTime <= maxt {
            var quotients = LastQuotient()
            lastClosed.withView(resumingFor: mint, maxt, &quotients, body)
        }
        if head.count > 0 && head.maxTime >= mint && head.minTime <= maxt { headView(resumingFor: mint, maxt, body) }
    }

    /// Starts loading what `forEachChunk(overlapping:)` will touch: the head's words and,
    /// when the head does not reach back to `mint`, the last closed chunk and the older
    /// chunks' arrays. So a wide read overlaps the cache misses of several series instead of
    /// taking them one by one. Only references kept in the slot are read, never the objects,
    /// and nothing is retained: `mutating` only so that calls lend the series in place.
    mutating func prefetch(for mint: Int64) {
        // A head of counters spans four cache lines (with the array's header), a read
        // copies the last three or so.
        let words = Self.object(&head.stream.words)
        for line in 0..<4 { khm_prefetch_far(words + 64 * line) }
        if head.count == 0 || head.minTime > mint {
            // The last closed chunk: header and checkpoints, then its words (up to six
            // lines in all for counters).
            if lastClosed != nil {
                let object = Self.object(&lastClosed)
                for line in 0..<6 { khm_prefetch_far(object + 64 * line) }
            }
            khm_prefetch_far(Self.object(&closed))
            khm_prefetch_far(Self.object(&closedWords))
        }
    }

    /// The address of the object a reference (an array's storage, a class instance) points
    /// to, read without touching the object or retaining it.
    private static func object<T>(_ reference: inout T) -> UnsafeRawPointer {
        withUnsafeBytes(of: &reference) { UnsafeRawPointer(bitPattern: $0.load(as: UInt.self)) ?? UnsafeRawPointer(bitPattern: 64)! }
    }

    /// The bytes the encoded samples take.
    var byteCount: Int {
        closed.reduce(head.byteCount + (lastClosed.map { ($0.record.bitCount + 7) >> 3 } ?? 0)) { $0 + ($1.bitCount + 7) >> 3 }
    }

    /// The number of samples held.
    var sampleCount: Int { closed.reduce(head.count + Int(lastClosed?.record.count ?? 0)) { $0 + Int($1.count) } }

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

/// A series' last closed chunk in one allocation: its record and checkpoints in the header,
/// its words and tail word as the elements. Immutable once made, hence safe to share (the
/// wrapper states what `ManagedBuffer`, being mutable in general, cannot).
struct LastClosedChunk: @unchecked Sendable {
    struct Header {
        /// The chunk's record (its offset unused until it joins the older chunks).
        var record: MemSeries.ClosedChunk
        var checkpoints: Checkpoints
        var lastValueBits: UInt64
        var lastDelta: Int64
    }

    final class Storage: ManagedBuffer<Header, UInt64> {
        deinit {
            _ = withUnsafeMutablePointers { header, elements in elements.deinitialize(count: header.pointee.record.wordCount) }
        }
    }

    private let storage: Storage

    /// The chunk `chunk`, closed.
    init(_ chunk: XORChunk) {
        let header = Header(record: MemSeries.ClosedChunk(offset: 0, bitCount: chunk.stream.bitCount, count: Int32(chunk.count),
                                                          minTime: chunk.minTime, maxTime: chunk.maxTime),
                            checkpoints: chunk.checkpoints, lastValueBits: chunk.lastValueBits, lastDelta: chunk.lastDelta)
        storage = Storage.create(minimumCapacity: header.record.wordCount) { _ in header } as! Storage
        storage.withUnsafeMutablePointerToElements { elements in
            chunk.stream.words.withUnsafeBufferPointer { words in
                if let base = words.baseAddress { elements.initialize(from: base, count: words.count) }
                (elements + words.count).initialize(to: chunk.stream.tail)
            }
        }
    }

    /// The chunk's record.
    var record: MemSeries.ClosedChunk { storage.header.record }

    /// Calls `body` with the chunk's view (its full words, tail word and bounds).
    func withView<Result>(_ body: (ChunkView) throws -> Result) rethrows -> Result {
        try storage.withUnsafeMutablePointers { header, elements in
            let chunk = header.pointee.record
            return try body(ChunkView(words: UnsafeBufferPointer(start: elements, count: chunk.wordCount - 1),
                                      tail: elements[chunk.wordCount - 1], bitCount: chunk.bitCount, count: Int(chunk.count),
                                      minTime: chunk.minTime, maxTime: chunk.maxTime))
        }
    }

    /// The chunk's view for a read of `mint...maxt`, with the checkpoint to resume at.
    func withView<Result>(resumingFor mint: Int64, _ maxt: Int64, _ quotients: inout LastQuotient,
                          _ body: (ChunkView) throws -> Result) rethrows -> Result {
        let header = storage.header, chunk = header.record
        let resume = header.checkpoints.checkpoint(for: mint, maxt: maxt, count: Int(chunk.count), minTime: chunk.minTime,
                                                   maxTime: chunk.maxTime, delta: header.lastDelta, &quotients)
        return try withView { view in
            var view = view
            view.resume = resume
            view.lastValueBits = header.lastValueBits
            return try body(view)
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
