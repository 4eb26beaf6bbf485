import CPrefetch
import CXORDecode

/// The chunks a reader picked under the store's lock, copied into one contiguous arena.
///
/// Copying a chunk's words (a few to a few dozen 64-bit words) costs about what retaining its
/// storage did, but afterwards the reader touches one sequential buffer instead of one heap
/// object per chunk, and there is nothing to release at the end. Series are gathered in
/// label order, so decoding reads the arena front to back. Series `j` has id `ids[j]` and
/// chunks `chunks[starts[j]..<starts[j + 1]]`; each chunk's words (from its checkpoint on,
/// when the read starts at one) are followed by its tail word and a zero word, the padding a
/// `BitReader` needs. A chunk is described by the record the vector decoder reads
/// (`khm_xor_job`), so that a batch of chunks is handed over as it lies.
struct PickedChunks {
    /// The index's label sets by series id: one reference to the whole table instead of a
    /// retained label set per series (a cache miss each, at 100k series most of a wide
    /// read's time). Copy-on-write keeps it valid while the writer goes on.
    var labelTable: [Labels?] = []
    /// The id of each picked series, in label order.
    var ids: [UInt32] = []
    var starts: [Int32] = [0]
    var chunks: [khm_xor_job] = []
    /// Every picked chunk's words, back to back.
    var words: WordArena
    /// The last division done choosing a checkpoint (see `XORChunk.checkpoint`).
    var quotients = LastQuotient()

    /// An empty pick, with room for `words` words.
    init(words: Int) { self.words = WordArena(capacity: words) }

    /// The number of series picked.
    var count: Int { ids.count }

    /// The label set of the series at `position` in label order.
    func labels(at position: Int) -> Labels { labelTable[Int(ids[position])]! }

    /// Copies `chunk` into the arena, padded (the series' slot is the one being gathered).
    /// Only the words from the chunk's checkpoint on are copied, if it has one.
    mutating func copy(_ chunk: ChunkView) {
        let skipped = (chunk.resume?.position ?? 0) >> 6
        copy(UnsafeBufferPointer(rebasing: chunk.words[skipped...]), tail: chunk.tail, count: chunk.count,
             resume: chunk.resume, lastValueBits: chunk.lastValueBits)
    }

    /// Copies a chunk's words (from its checkpoint's word on, if it has one) and tail word.
    @inline(__always)
    mutating func copy(_ words: UnsafeBufferPointer<UInt64>, tail: UInt64, count: Int, resume: Checkpoint?,
                       lastValueBits: UInt64) {
        var job = khm_xor_job()
        job.offset = Int64(self.words.append(words, tail: tail))
        job.words = Int32(words.count + 2)
        job.count = Int32(count)
        if let resume {
            job.bit = Int32(resume.position & 63)
            job.count -= Int32(resume.index)
            job.resume = 1
            job.leading = Int32(resume.leading)
            job.trailing = Int32(resume.trailing)
            job.timestamp = resume.timestamp
            job.delta = resume.delta
            job.last_value = lastValueBits
            job.first = Int32(resume.skip)
        }
        chunks.append(job)
    }

    /// Starts loading the label set of the series at `position` (ignored past the end), so
    /// that handing it over later does not wait for memory.
    func prefetchLabels(at position: Int) {
        guard position < ids.count else { return }
        labelTable.withUnsafeBufferPointer { Labels.prefetch($0, Int(ids[position])) }
    }

    /// Copies the chunks of `series` that may hold samples in `mint...maxt` (the series' slot
    /// is the one being gathered). `inout` only so that the series is lent in place.
    mutating func copyChunks(of series: inout MemSeries, overlapping mint: Int64, _ maxt: Int64) {
        // The common case, a recent range within the head (and the last closed chunk),
        // without the general walk.
        if series.copyRecent(into: &self, ifCovering: mint, maxt) { return }
        series.forEachChunk(overlapping: mint, maxt) { copy($0) }
    }

    /// Decodes the samples in `mint...maxt` of the series at `position` in label order.
    func decode(_ position: Int, into out: inout [Sample], mint: Int64, maxt: Int64) {
        for index in Int(starts[position])..<Int(starts[position + 1]) { decodeChunk(index, into: &out, mint: mint, maxt: maxt) }
    }

    /// Decodes chunk `index` with the general decoder, appending its samples in `mint...maxt`.
    private func decodeChunk(_ index: Int, into out: inout [Sample], mint: Int64, maxt: Int64) {
        let job = chunks[index]
        do {
            let reader = BitReader(padded: words.base + Int(job.offset), count: Int(job.words))
            guard job.resume != 0 else {
                var iterator = XORIterator(reader: reader, count: Int(job.count))
                iterator.decode(into: &out, mint: mint, maxt: maxt, count: Int(job.count))
                return
            }
            let checkpoint = Checkpoint(index: 0, position: Int(job.bit), leading: Int(job.leading),
                                                 trailing: Int(job.trailing), timestamp: job.timestamp, delta: job.delta)
            var iterator = XORIterator(reader: reader, count: Int(job.count), resumingAt: checkpoint)
            let before = out.count
            iterator.decode(into: &out, mint: mint, maxt: maxt, count: Int(job.count))
            // From a checkpoint, the values came out XOR the value before it: the last one
            // (always in range: the read reaches the chunk's end) tells which.
            guard out.count > before else { return }
            let offset = out[out.count - 1].value.bitPattern ^ job.last_value
            for sample in before..<out.count { out[sample].value = Double(bitPattern: out[sample].value.bitPattern ^ offset) }
        }
    }

    /// Decodes the series at `range` (positions in label order), in order, and calls `body`
    /// with each one's position and samples in `mint...maxt` (series without any are
    /// skipped). With `vector` (by default, where the CPU has it), chunks are decoded sixteen
    /// at a time by `khm_xor_decode`, and those it hands back by the general decoder.
    /// With `labels`, the label sets of the next series are prefetched while a batch
    /// decodes, for a `body` that reads them.
    func forEachSeries(_ range: Range<Int>, mint: Int64, maxt: Int64, vector: Bool = VectorDecoding.isAvailable,
                       labels: Bool = false, _ body: (Int, [Sample]) throws -> Void) rethrows {
        var samples: [Sample] = []
        guard vector else {
            for position in range {
                samples.removeAll(keepingCapacity: true)
                decode(position, into: &samples, mint: mint, maxt: maxt)
                if !samples.isEmpty { try body(position, samples) }
            }
            return
        }
        let stride = Int(KHM_XOR_MAX_SAMPLES) + 8
        let batch = Int(KHM_XOR_MAX_JOBS)
        // Two calls' worth of chunks at a time, grouped by length, so that each call's
        // lanes run chunks of about the same length: after a cut, a recent range takes a few
        // samples of the last closed chunk and many of the head, and mixed, the lanes with
        // the short ones would idle most of the call.
        let jobsPerRound = 2 * batch
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: jobsPerRound * stride * MemoryLayout<Sample>.stride,
                                                       alignment: MemoryLayout<Sample>.alignment)
        defer { scratch.deallocate() }
        let decoded = scratch.bindMemory(to: Sample.self, capacity: jobsPerRound * stride)
        var counts = [Int32](repeating: 0, count: jobsPerRound), firsts = counts
        var sorted = [khm_xor_job](repeating: khm_xor_job(), count: jobsPerRound)
        // Where each chunk of the round went among the sorted ones, and the reverse.
        var slotOf = [Int](repeating: 0, count: jobsPerRound), chunkAt = slotOf
        // Decodes a round's chunks, `batch` to a call, into the scratch slots in their order.
        func decodeRound(_ jobs: UnsafePointer<khm_xor_job>, _ jobCount: Int) {
            firsts.withUnsafeMutableBufferPointer { firsts in
                counts.withUnsafeMutableBufferPointer { counts in
                    for call in Swift.stride(from: 0, to: jobCount, by: batch) {
                        khm_xor_decode(words.base, jobs + call, Int32(min(batch, jobCount - call)), mint, maxt,
                                       scratch + call * stride * MemoryLayout<Sample>.stride, Int32(stride),
                                       firsts.baseAddress! + call, counts.baseAddress! + call)
                    }
                }
            }
        }
        try starts.withUnsafeBufferPointer { starts in
            var position = range.lowerBound
            while position < range.upperBound {
                // The next series whose chunks fit in one round, all of them.
                let first = Int(starts[position])
                var end = position
                while end < range.upperBound && Int(starts[end + 1]) - first <= jobsPerRound { end += 1 }
                guard end > position else {
                    // More chunks than one round takes: the general decoder.
                    samples.removeAll(keepingCapacity: true)
                    decode(position, into: &samples, mint: mint, maxt: maxt)
                    if !samples.isEmpty { try body(position, samples) }
                    position += 1
                    continue
                }
                // The label sets are scattered on the heap: start loading those of the next
                // series while this round decodes. So are the table's entries for them, in
                // label order: load those a round earlier.
                if labels {
                    for next in end..<min(end + jobsPerRound, range.upperBound) { prefetchLabels(at: next) }
                    labelTable.withUnsafeBufferPointer { table in
                        ids.withUnsafeBufferPointer { ids in
                            for next in (end + jobsPerRound)..<max(end + jobsPerRound, min(end + 2 * jobsPerRound, range.upperBound)) {
                                khm_prefetch(UnsafeRawPointer(table.baseAddress! + Int(ids[next])))
                            }
                        }
                    }
                }
                let jobCount = Int(starts[end]) - first
                chunks.withUnsafeBufferPointer { chunks in
                    let round = chunks.baseAddress! + first
                    guard jobCount > end - position else {
                        // One chunk per series: nothing to group.
                        decodeRound(round, jobCount)
                        for job in 0..<jobCount { slotOf[job] = job }
                        return
                    }
                    // The longer half first: chunks at least as long as the mean, then the
                    // others, each in order (a round's chunks mostly come in one or two
                    // lengths, so this groups them without sorting).
                    var total = 0
                    for job in 0..<jobCount { total += Int(round[job].count) }
                    var k = 0
                    for job in 0..<jobCount where Int(round[job].count) * jobCount >= total {
                        chunkAt[k] = job
                        k += 1
                    }
                    for job in 0..<jobCount where Int(round[job].count) * jobCount < total {
                        chunkAt[k] = job
                        k += 1
                    }
                    for k in 0..<jobCount {
                        sorted[k] = round[chunkAt[k]]
                        slotOf[chunkAt[k]] = k
                    }
                    sorted.withUnsafeBufferPointer { decodeRound($0.baseAddress!, jobCount) }
                }
                for series in position..<end {
                    samples.removeAll(keepingCapacity: true)
                    for index in Int(starts[series])..<Int(starts[series + 1]) {
                        let slot = slotOf[index - first], count = Int(counts[slot])
                        if count >= 0 {
                            samples.append(contentsOf: UnsafeBufferPointer(start: decoded + slot * stride + Int(firsts[slot]),
                                                                           count: count))
                        } else {
                            decodeChunk(index, into: &samples, mint: mint, maxt: maxt)
                        }
                    }
                    if !samples.isEmpty { try body(series, samples) }
                }
                position = end
            }
        }
    }
}

/// Whether wide reads decode with the vector decoder (`khm_xor_decode`): where the CPU has
/// AVX-512, unless `KHM_XOR_DISABLE_VECTOR=1`.
enum VectorDecoding {
    static let isAvailable = khm_xor_available() != 0
}
