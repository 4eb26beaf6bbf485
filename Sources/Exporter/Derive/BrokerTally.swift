/// Counts per broker id, in a dense array for the small ids clusters use and a dictionary
/// beyond: derivation tallies every replica of every partition, so hashing each one showed.
struct BrokerTally {
    private static let denseLimit: Int32 = 4096
    private var dense = [Int](repeating: -1, count: Int(denseLimit))
    private var sparse: [Int32: Int] = [:]

    /// Makes `id` present with a count of 0 if it is not yet.
    @inline(__always)
    mutating func include(_ id: Int32) {
        if id >= 0 && id < Self.denseLimit {
            if dense[Int(id)] < 0 { dense[Int(id)] = 0 }
        } else if sparse[id] == nil {
            sparse[id] = 0
        }
    }

    /// Adds one to `id`'s count.
    @inline(__always)
    mutating func add(_ id: Int32) {
        if id >= 0 && id < Self.denseLimit {
            dense[Int(id)] = max(dense[Int(id)], 0) + 1
        } else {
            sparse[id, default: 0] += 1
        }
    }

    /// Present ids and their counts, by id.
    var counts: [(id: Int32, count: Int)] {
        var out: [(id: Int32, count: Int)] = []
        for (index, count) in dense.enumerated() where count >= 0 { out.append((Int32(index), count)) }
        out.append(contentsOf: sparse.map { (id: $0.key, count: $0.value) })
        return out.sorted { $0.id < $1.id }
    }
}
