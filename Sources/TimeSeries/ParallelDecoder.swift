#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Decodes picked chunks into `Series`, splitting wide reads (thousands of series) across
/// the machine's cores: each worker fills its own slice of the result, in label order.
/// Decoding needs no lock: the picked chunks are private copies that share immutable storage.
enum ParallelDecoder {
    /// Below this many series a read stays on the calling thread (splitting costs more).
    static let minimumSeriesPerWorker = 2048

    static func series(_ picked: PickedChunks, mint: Int64, maxt: Int64) -> [Series] {
        let count = picked.count
        let workers = min(System.activeProcessorCount, max(1, count / minimumSeriesPerWorker), 8)
        if workers == 1 { return decode(picked, 0..<count, mint: mint, maxt: maxt) }
        let parts = SlotArray<[Series]>(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let range = (count * worker / workers)..<(count * (worker + 1) / workers)
            parts.set(worker, decode(picked, range, mint: mint, maxt: maxt))
        }
        return parts.values.flatMap { $0 }
    }

    /// Series `range` of `picked`, each in a fresh array sized by estimate.
    private static func decode(_ picked: PickedChunks, _ range: Range<Int>, mint: Int64, maxt: Int64) -> [Series] {
        var out: [Series] = []
        out.reserveCapacity(range.count)
        picked.forEachSeries(range, mint: mint, maxt: maxt, labels: true) { position, samples in
            out.append(Series(labels: picked.labels(at: position), samples: samples))
        }
        return out
    }
}

/// Fixed slots that concurrent workers fill, each worker its own slot; read after they finish.
/// Raw storage, so concurrent writes to distinct slots involve no shared array value (an
/// array property would see overlapping exclusive accesses).
private final class SlotArray<Element>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Element?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// Writes slot `index`; distinct indexes may be written concurrently.
    func set(_ index: Int, _ value: Element) { slots[index] = value }

    /// Every slot, once all writers are done.
    var values: [Element] { (0..<count).map { slots[$0]! } }
}

/// How many cores the process may use.
enum System {
    static let activeProcessorCount: Int = {
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }()
}
