import CPrefetch

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
        var count: Int32
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

    /// Copies `chunk` into the arena, padded (the series' slot is the one being gathered).
    mutating func copy(_ chunk: ChunkView) {
        let offset = Int32(words.count)
        words.append(contentsOf: chunk.words)
        words.append(chunk.tail)
        words.append(0)
        chunks.append(Chunk(offset: offset, wordCount: Int32(words.count) - offset, count: Int32(chunk.count),
                            minTime: chunk.minTime, maxTime: chunk.maxTime))
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
        chunks.withUnsafeBufferPointer { chunks in
            words.withUnsafeBufferPointer { words in
                for index in Int(starts[position])..<Int(starts[position + 1]) {
                    var iterator = Self.iterator(chunks[index], words)
                    iterator.decode(into: &out, mint: mint, maxt: maxt, count: Int(chunks[index].count))
                }
            }
        }
    }

    /// An iterator over `chunk`'s padded words in the arena.
    private static func iterator(_ chunk: Chunk, _ words: UnsafeBufferPointer<UInt64>) -> XORIterator {
        XORIterator(reader: BitReader(padded: words.baseAddress! + Int(chunk.offset), count: Int(chunk.wordCount)),
                    count: Int(chunk.count))
    }
}
