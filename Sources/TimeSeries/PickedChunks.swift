import CPrefetch

/// The chunks a reader picked under the store's lock, copied into one contiguous arena.
///
/// Copying a chunk's words (a few to a few dozen 64-bit words) costs about what retaining its
/// storage did, but afterwards the reader touches one sequential buffer instead of one heap
/// object per chunk, and there is nothing to release at the end. Series are gathered in id
/// order (series slots are then read sequentially); `order` lists the gathered slots in label
/// order. Slot `j` has label set `labels[j]` and chunks `chunks[starts[j]..<starts[j + 1]]`.
struct PickedChunks {
    /// Where one chunk's stream lies in `words`, and what decoding it needs.
    struct Chunk {
        var offset: Int32
        var wordCount: Int32
        var count: Int32
        var tail: UInt64
        var minTime: Int64
        var maxTime: Int64
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

    /// Copies `chunk` into the arena (the series' slot is the one being gathered).
    mutating func copy(_ chunk: XORChunk) {
        let offset = Int32(words.count)
        // Through a buffer pointer: `append(contentsOf:)` takes its argument owned, which
        // would retain and release the chunk's storage.
        let wordCount = chunk.stream.words.withUnsafeBufferPointer { source in
            words.append(contentsOf: source)
            return source.count
        }
        chunks.append(Chunk(offset: offset, wordCount: Int32(wordCount), count: Int32(chunk.count),
                            tail: chunk.stream.tail, minTime: chunk.minTime, maxTime: chunk.maxTime))
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
        let slot = position
        chunks.withUnsafeBufferPointer { chunks in
            words.withUnsafeBufferPointer { words in
                for index in Int(starts[slot])..<Int(starts[slot + 1]) {
                    let chunk = chunks[index]
                    out.reserveCapacity(out.count + XORChunk.estimatedCount(
                        Int(chunk.count), chunk.minTime, chunk.maxTime, mint, maxt))
                    let start = Int(chunk.offset)
                    let slice = UnsafeBufferPointer(rebasing: words[start..<(start + Int(chunk.wordCount))])
                    var iterator = XORIterator(reader: BitReader(words: slice, tail: chunk.tail), count: Int(chunk.count))
                    iterator.decode(into: &out, mint: mint, maxt: maxt)
                }
            }
        }
    }
}
