import Testing
@testable import KafkaSim

/// Replica assignment follows Kafka's `assignReplicasToBrokers` (rack unaware).
struct ReplicaAssignmentTests {
    /// Kafka's own test table (brokers 0…4, 10 partitions, RF 3, start index 0), with broker
    /// ids shifted to 1…5: round-robin first replicas, followers shifted once per wrap.
    @Test func matchesKafkasAssignmentTable() {
        let assignment = ReplicaAssignment(brokers: [1, 2, 3, 4, 5], startIndex: 0, initialShift: 0)
        let expected: [[Int32]] = [
            [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 1], [5, 1, 2],
            [1, 3, 4], [2, 4, 5], [3, 5, 1], [4, 1, 2], [5, 2, 3],
        ]
        #expect(assignment.assign(partitions: 10, replicationFactor: 3) == expected)
    }

    @Test(arguments: [(brokers: 3, partitions: 100, rf: 3), (brokers: 5, partitions: 1000, rf: 2),
                      (brokers: 100, partitions: 10_000, rf: 3), (brokers: 1, partitions: 5, rf: 1)])
    func spreadsLeadersEvenlyWithDistinctReplicas(brokers: Int, partitions: Int, rf: Int) {
        let ids = (1...brokers).map { Int32($0) }
        let lists = ReplicaAssignment(brokers: ids, startIndex: 1, initialShift: 2)
            .assign(partitions: partitions, replicationFactor: rf)
        #expect(lists.count == partitions)
        #expect(lists.allSatisfy { Set($0).count == rf })
        let leaders = Dictionary(grouping: lists.map(\.[0]), by: { $0 }).mapValues(\.count)
        #expect(leaders.values.max()! - leaders.values.min()! <= 1)
    }
}
