/// Topic creation and deletion, and direct partition controls.
extension ClusterModel {
    /// Creates a topic whose replicas are assigned over the running brokers the way Kafka
    /// assigns them. `startIndex` fixes where the round-robin starts (nil: a seeded random
    /// choice, as Kafka's random one). Unset configs get the cluster defaults
    /// (`TopicConfigs.clusterDefaults`).
    public mutating func createTopic(_ name: String, partitions: Int, replicationFactor: Int,
                                     configs: [String: String] = [:], startIndex: Int? = nil) throws {
        try Self.validateTopicName(name)
        guard topicIndex[name] == nil else { throw SimulatorError(.conflict, "topic \"\(name)\" already exists") }
        guard partitions >= 1, partitions <= Self.maximumPartitionsPerTopic else {
            throw SimulatorError(.invalid, "partitions must be 1…\(Self.maximumPartitionsPerTopic), not \(partitions)")
        }
        let live = liveBrokerIds
        guard replicationFactor >= 1, replicationFactor <= live.count else {
            throw SimulatorError(.invalid, "replication factor \(replicationFactor) needs 1…\(live.count) running brokers")
        }
        let start = startIndex ?? Int(random.next() % UInt64(live.count))
        let shift = startIndex ?? Int(random.next() % UInt64(live.count))
        let assignment = ReplicaAssignment(brokers: live, startIndex: start, initialShift: shift)
        let states = assignment.assign(partitions: partitions, replicationFactor: replicationFactor)
            .map { PartitionState(leader: $0[0], replicas: $0, isr: $0) }
        let merged = TopicConfigs.clusterDefaults(replicationFactor: replicationFactor)
            .merging(configs) { _, explicit in explicit }
        topicIndex[name] = topics.count
        topics.append(TopicState(name: name, id: TopicID.random(using: &random),
                                 isInternal: name.hasPrefix("__"), partitions: states, configs: merged))
    }

    /// The most partitions one topic may have (librdkafka itself refuses more than 100,000).
    public static let maximumPartitionsPerTopic = 10_000_000

    /// Deletes the topic named `name`.
    public mutating func deleteTopic(_ name: String) throws {
        let index = try checkedTopicIndex(name)
        topics.remove(at: index)
        topicIndex = Dictionary(uniqueKeysWithValues: topics.enumerated().map { ($0.element.name, $0.offset) })
    }

    /// Makes `leader` lead the partition (a running replica), or -1 to take it offline.
    public mutating func setLeader(topic: String, partition: Int32, leader: Int32) throws -> [ClusterEvent] {
        let (t, p) = try checkedPartition(topic, partition)
        let state = topics[t].partitions[p]
        if leader != -1 {
            guard state.replicas.contains(leader) else {
                throw SimulatorError(.invalid, "broker \(leader) is not a replica of \(topic)-\(partition)")
            }
            guard broker(leader)?.alive == true else {
                throw SimulatorError(.conflict, "broker \(leader) is stopped and cannot lead")
            }
        }
        guard leader != state.leader else { return [] }
        topics[t].partitions[p].leader = leader
        topics[t].partitions[p].leaderEpoch += 1
        return [.leaderChanged(topic: topic, partition: partition, from: state.leader, to: leader)]
    }

    /// Sets the partition's ISR (a non-empty set of its replicas). If the leader leaves the
    /// ISR, a new leader is elected from it. The next catch-up of any broker may re-add in-sync
    /// replicas left out here.
    public mutating func setISR(topic: String, partition: Int32, isr: [Int32]) throws -> [ClusterEvent] {
        let (t, p) = try checkedPartition(topic, partition)
        let state = topics[t].partitions[p]
        guard !isr.isEmpty, Set(isr).count == isr.count, isr.allSatisfy(state.replicas.contains) else {
            throw SimulatorError(.invalid, "ISR \(isr) must be distinct replicas of \(topic)-\(partition) \(state.replicas)")
        }
        var events: [ClusterEvent] = []
        for gone in state.isr where !isr.contains(gone) {
            events.append(.isrShrunk(topic: topic, partition: partition, broker: gone))
        }
        for new in isr where !state.isr.contains(new) {
            events.append(.isrExpanded(topic: topic, partition: partition, broker: new))
        }
        topics[t].partitions[p].isr = isr
        if state.leader == -1 || !isr.contains(state.leader) {
            events += electLeader(t, p)
        }
        return events
    }

    private mutating func electLeader(_ t: Int, _ p: Int) -> [ClusterEvent] {
        let alive = aliveTable
        var partition = topics[t].partitions[p]
        let old = partition.leader
        partition.leader = partition.replicas.first { alive[Int($0)] && partition.isr.contains($0) } ?? -1
        guard partition.leader != old else { return [] }
        partition.leaderEpoch += 1
        topics[t].partitions[p] = partition
        return [.leaderChanged(topic: topics[t].name, partition: Int32(p), from: old, to: partition.leader)]
    }

    func checkedPartition(_ topic: String, _ partition: Int32) throws -> (Int, Int) {
        let t = try checkedTopicIndex(topic)
        guard partition >= 0, Int(partition) < topics[t].partitions.count else {
            throw SimulatorError.unknownPartition(topic, partition)
        }
        return (t, Int(partition))
    }

    /// Kafka's topic name rule: 1–249 characters of ASCII letters, digits, '.', '_' and '-',
    /// and not "." or "..".
    static func validateTopicName(_ name: String) throws {
        let legal = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
        guard !name.isEmpty, name.utf8.count <= 249, legal, name != ".", name != ".." else {
            throw SimulatorError(.invalid, "invalid topic name \"\(name)\": use 1–249 of [a-zA-Z0-9._-]")
        }
    }
}
