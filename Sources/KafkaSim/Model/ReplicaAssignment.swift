/// Kafka's rack-unaware replica assignment (as `AdminUtils.assignReplicasToBrokers`): the
/// first replica of partition p goes round-robin from a start index, the followers are shifted
/// from it by an amount that grows each time the partitions wrap around the brokers, so that
/// leaders and followers spread evenly.
public struct ReplicaAssignment: Sendable {
    /// The brokers to assign to, sorted by id.
    public let brokers: [Int32]
    /// Where the first partition's first replica goes.
    public let startIndex: Int
    /// The initial follower shift.
    public let initialShift: Int

    /// An assignment over `brokers`, starting at fixed indices (Kafka picks them at random).
    public init(brokers: [Int32], startIndex: Int, initialShift: Int) {
        self.brokers = brokers.sorted()
        // Kept non-negative so that the modular arithmetic below never yields a negative index.
        self.startIndex = max(0, startIndex)
        self.initialShift = max(0, initialShift)
    }

    /// The replica lists of `partitions` partitions with `replicationFactor` replicas each.
    /// Identical lists share one array's storage, which keeps a million partitions small.
    /// Precondition: 1 ≤ replicationFactor ≤ brokers.count.
    public func assign(partitions: Int, replicationFactor: Int) -> [[Int32]] {
        precondition(replicationFactor >= 1 && replicationFactor <= brokers.count)
        let n = brokers.count
        var cache: [Int: [Int32]] = [:]
        var result: [[Int32]] = []
        result.reserveCapacity(partitions)
        var shift = initialShift
        for partition in 0..<partitions {
            if partition > 0 && partition % n == 0 { shift += 1 }
            let first = (partition + startIndex) % n
            let key = first * n + (n > 1 ? shift % (n - 1) : 0)
            if let cached = cache[key] {
                result.append(cached)
                continue
            }
            var replicas = [brokers[first]]
            for j in 0..<(replicationFactor - 1) {
                replicas.append(brokers[Self.replicaIndex(first: first, shift: shift, replica: j, count: n)])
            }
            cache[key] = replicas
            result.append(replicas)
        }
        return result
    }

    /// The index of follower `replica` of a partition whose first replica is at `first`.
    static func replicaIndex(first: Int, shift: Int, replica: Int, count: Int) -> Int {
        let step = 1 + (shift + replica) % (count - 1)
        return (first + step) % count
    }
}
