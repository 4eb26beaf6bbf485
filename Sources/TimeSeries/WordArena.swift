#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The words a read picked, back to back: written once, under the store's lock, by one
/// picker, then only read (by any number of decoders, on any thread). Unlike an array,
/// appending a chunk's words is a bounds check and a copy, with no uniqueness check and no
/// count update per word; a wide read appends 100k times.
final class WordArena: @unchecked Sendable {
    /// The words; valid up to `count`.
    private(set) var base: UnsafeMutablePointer<UInt64>
    /// The number of words written.
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = Self.allocate(self.capacity)
    }

    deinit { free(base) }

    /// Appends `words` followed by `tail` and a zero word (the padding a `BitReader` and the
    /// vector decoder need); returns the index of the first.
    @inline(__always)
    func append(_ words: UnsafeBufferPointer<UInt64>, tail: UInt64) -> Int {
        let start = count
        if start + words.count + 2 > capacity { grow(to: start + words.count + 2) }
        if let source = words.baseAddress { (base + start).update(from: source, count: words.count) }
        base[start + words.count] = tail
        base[start + words.count + 1] = 0
        count = start + words.count + 2
        return start
    }

    private func grow(to needed: Int) {
        capacity = max(needed, capacity * 2)
        guard let grown = realloc(base, capacity * MemoryLayout<UInt64>.stride) else { fatalError("out of memory") }
        base = grown.assumingMemoryBound(to: UInt64.self)
    }

    private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<UInt64> {
        guard let memory = malloc(capacity * MemoryLayout<UInt64>.stride) else { fatalError("out of memory") }
        return memory.assumingMemoryBound(to: UInt64.self)
    }
}
