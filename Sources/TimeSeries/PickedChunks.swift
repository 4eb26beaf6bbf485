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

    var labels: [Labels] = []
    var starts: [Int32] = [0]
    var chunks: [Chunk] = []
    var order: [Int32] = []
    /// Every picked chunk's full words, back to back.
    var words: [UInt64] = []

    /// The number of series picked.
    var count: Int { order.count }

    /// The label set of the series at `position` in label order.
    func labels(at position: Int) -> Labels { labels[Int(order[position])] }

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

    /// Decodes the samples in `mint...maxt` of the series at `position` in label order.
    func decode(_ position: Int, into out: inout [Sample], mint: Int64, maxt: Int64) {
        let slot = Int(order[position])
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
