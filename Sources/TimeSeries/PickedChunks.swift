import CPrefetch
import CXORDecode

/// The chunks a reader picked under the store's lock, copied into one contiguous arena.
///
/// Copying a chunk's words (a few to a few dozen 64-bit words) costs about what retaining its
/// storage did, but afterwards the reader touches one sequential buffer instead of one heap
/// object per chunk, and there is nothing to release at the end. Series are gathered in
/// label order, so decoding reads the arena front to back. Series `j` has id `ids[j]` and
/// chunks `chunks[starts[j]..<starts[j + 1]]`; each chunk's words are followed by its tail
/// word and a zero word, the padding a `BitReader` needs.
struct PickedChunks {
    /// Where one chunk's stream lies in `words`, and what decoding it needs.
    struct Chunk {
        var offset: Int32
        /// Including the tail and the zero word.
        var wordCount: Int32
        /// The samples to decode (from the checkpoint, if any).
        var count: Int32
        var minTime: Int64
        var maxTime: Int64
        /// Where decoding starts, the copied words' first bit being position
        /// `resume.position & ~63`; nil for the first sample (the first copied bit).
        var resume: XORChunk.Checkpoint?
        var lastValueBits: UInt64
    }

    /// The index's label sets by series id: one reference to the whole table instead of a
    /// retained label set per series (a cache miss each, at 100k series most of a wide
    /// read's time). Copy-on-write keeps it valid while the writer goes on.
    var labelTable: [Labels?] = []
    /// The id of each picked series, in label order.
    var ids: [UInt32] = []
    var starts: [Int32] = [0]
    var chunks: [Chunk] = []
    /// Every picked chunk's full words, back to back.
    var words: [UInt64] = []

    /// The number of series picked.
    var count: Int { ids.count }

    /// The label set of the series at `position` in label order.
    func labels(at position: Int) -> Labels { labelTable[Int(ids[position])]! }

    /// Copies `chunk` into the arena, padded (the series' slot is the one being gathered).
    /// Only the words from the chunk's checkpoint on are copied, if it has one.
    mutating func copy(_ chunk: ChunkView) {
        let offset = Int32(words.count)
        var resume = chunk.resume
        let skipped = (resume?.position ?? 0) >> 6
        words.append(contentsOf: UnsafeBufferPointer(rebasing: chunk.words[skipped...]))
        words.append(chunk.tail)
        words.append(0)
        resume?.position &= 63
        chunks.append(Chunk(offset: offset, wordCount: Int32(words.count) - offset,
                            count: Int32(chunk.count - (resume?.index ?? 0)), minTime: chunk.minTime,
                            maxTime: chunk.maxTime, resume: resume, lastValueBits: chunk.lastValueBits))
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
        series.forEachChunk(overlapping: mint, maxt) { copy($0) }
    }

    /// Decodes the samples in `mint...maxt` of the series at `position` in label order.
    func decode(_ position: Int, into out: inout [Sample], mint: Int64, maxt: Int64) {
        for index in Int(starts[position])..<Int(starts[position + 1]) { decodeChunk(index, into: &out, mint: mint, maxt: maxt) }
    }

    /// Decodes chunk `index` with the general decoder, appending its samples in `mint...maxt`.
    private func decodeChunk(_ index: Int, into out: inout [Sample], mint: Int64, maxt: Int64) {
        chunks.withUnsafeBufferPointer { chunks in
            words.withUnsafeBufferPointer { words in
                let chunk = chunks[index]
                var iterator = Self.iterator(chunk, words)
                let before = out.count
                iterator.decode(into: &out, mint: mint, maxt: maxt, count: Int(chunk.count))
                // From a checkpoint, the values came out XOR the value before it: the last
                // one (always in range: the read reaches the chunk's end) tells which.
                guard chunk.resume != nil, out.count > before else { return }
                let offset = out[out.count - 1].value.bitPattern ^ chunk.lastValueBits
                for sample in before..<out.count { out[sample].value = Double(bitPattern: out[sample].value.bitPattern ^ offset) }
            }
        }
    }

    /// Decodes the series at `range` (positions in label order), in order, and calls `body`
    /// with each one's position and samples in `mint...maxt` (series without any are
    /// skipped). With `vector` (by default, where the CPU has it), chunks are decoded sixteen
    /// at a time by `khm_xor_decode`, and those it hands back by the general decoder.
    func forEachSeries(_ range: Range<Int>, mint: Int64, maxt: Int64, vector: Bool = VectorDecoding.isAvailable,
                       _ body: (Int, [Sample]) throws -> Void) rethrows {
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
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: batch * stride * MemoryLayout<Sample>.stride,
                                                       alignment: MemoryLayout<Sample>.alignment)
        defer { scratch.deallocate() }
        let decoded = scratch.bindMemory(to: Sample.self, capacity: batch * stride)
        var jobs = [khm_xor_job](repeating: khm_xor_job(), count: batch)
        var counts = [Int32](repeating: 0, count: batch)
        var position = range.lowerBound
        while position < range.upperBound {
            // The next series whose chunks fit in one call, all of them.
            var end = position, jobCount = 0
            while end < range.upperBound {
                let first = Int(starts[end]), chunkCount = Int(starts[end + 1]) - first
                guard jobCount + chunkCount <= batch else { break }
                for index in first..<(first + chunkCount) {
                    jobs[jobCount] = job(chunks[index])
                    jobCount += 1
                }
                end += 1
            }
            guard end > position else {
                // More chunks than one call takes: the general decoder.
                samples.removeAll(keepingCapacity: true)
                decode(position, into: &samples, mint: mint, maxt: maxt)
                if !samples.isEmpty { try body(position, samples) }
                position += 1
                continue
            }
            words.withUnsafeBufferPointer { words in
                khm_xor_decode(words.baseAddress!, jobs, Int32(jobCount), mint, maxt, scratch, Int32(stride), &counts)
            }
            var job = 0
            for series in position..<end {
                samples.removeAll(keepingCapacity: true)
                for index in Int(starts[series])..<Int(starts[series + 1]) {
                    if counts[job] >= 0 {
                        samples.append(contentsOf: UnsafeBufferPointer(start: decoded + job * stride, count: Int(counts[job])))
                    } else {
                        decodeChunk(index, into: &samples, mint: mint, maxt: maxt)
                    }
                    job += 1
                }
                if !samples.isEmpty { try body(series, samples) }
            }
            position = end
        }
    }

    /// What `khm_xor_decode` needs to decode `chunk`.
    private func job(_ chunk: Chunk) -> khm_xor_job {
        var job = khm_xor_job()
        job.offset = Int64(chunk.offset)
        job.words = chunk.wordCount
        job.count = chunk.count
        if let resume = chunk.resume {
            job.bit = Int32(resume.position)
            job.resume = 1
            job.leading = Int32(resume.leading)
            job.trailing = Int32(resume.trailing)
            job.timestamp = resume.timestamp
            job.delta = resume.delta
            job.last_value = chunk.lastValueBits
        }
        return job
    }

    /// An iterator over `chunk`'s padded words in the arena.
    private static func iterator(_ chunk: Chunk, _ words: UnsafeBufferPointer<UInt64>) -> XORIterator {
        let reader = BitReader(padded: words.baseAddress! + Int(chunk.offset), count: Int(chunk.wordCount))
        guard let resume = chunk.resume else { return XORIterator(reader: reader, count: Int(chunk.count)) }
        return XORIterator(reader: reader, count: Int(chunk.count), resumingAt: resume)
    }
}

/// Whether wide reads decode with the vector decoder (`khm_xor_decode`): where the CPU has
/// AVX-512, unless `KHM_XOR_DISABLE_VECTOR=1`.
enum VectorDecoding {
    static let isAvailable = khm_xor_available() != 0
}
