extension HealthDeriver {
    /// The per-topic and per-partition families, and the offline count for events.
    struct PartitionFamilies {
        var families: [MetricFamily]
        var offline: Int
        var offlineTopics: [String]
        /// Online partitions led, per broker.
        var leaders: BrokerTally
        /// Partitions assigned, per broker.
        var replicas: BrokerTally
    }

    /// Per-topic health gauges (with `topic="__total__"`) and the ISR event counters, which
    /// advance by diffing each partition's ISR against the previous snapshot's.
    func partitionFamilies(_ state: inout HealthState, snapshot: ClusterSnapshot) -> PartitionFamilies {
        let topics = snapshot.topics.sorted { $0.name < $1.name }
        var underReplicated = PerTopicCounts(MetricNames.underReplicatedPartitions, Help.underReplicated, topics.count)
        var offline = PerTopicCounts(MetricNames.offlinePartitions, Help.offline, topics.count)
        var underMin = PerTopicCounts(MetricNames.underMinIsrPartitions, Help.underMinIsr, topics.count)
        var atMin = PerTopicCounts(MetricNames.atMinIsrPartitions, Help.atMinIsr, topics.count)
        var imbalance = PerTopicCounts(MetricNames.preferredLeaderImbalance, Help.imbalance, topics.count)
        var partitionCounts: [MetricSample] = [], minInsync: [MetricSample] = []
        partitionCounts.reserveCapacity(topics.count)
        minInsync.reserveCapacity(topics.count)
        var offlineTopics: [String] = []
        var leaders = BrokerTally(), replicas = BrokerTally()
        var histories: [String: HealthState.TopicHistory] = [:]
        histories.reserveCapacity(topics.count)

        for topic in topics {
            let minIsr = topic.minInsyncReplicas ?? defaultMinInsyncReplicas
            var counts = (under: 0, offline: 0, underMin: 0, atMin: 0, imbalance: 0)
            for partition in topic.partitions {
                if partition.isUnderReplicated { counts.under += 1 }
                if partition.isOffline { counts.offline += 1 } else { leaders.add(partition.leader) }
                for replica in partition.replicas where replica >= 0 { replicas.add(replica) }
                if partition.isr.count < minIsr { counts.underMin += 1 }
                if partition.isr.count == minIsr { counts.atMin += 1 }
                if partition.isOffPreferredLeader { counts.imbalance += 1 }
            }
            underReplicated.add(topic.name, counts.under)
            offline.add(topic.name, counts.offline)
            underMin.add(topic.name, counts.underMin)
            atMin.add(topic.name, counts.atMin)
            imbalance.add(topic.name, counts.imbalance)
            if counts.offline > 0 { offlineTopics.append(topic.name) }
            partitionCounts.append(MetricSample(MetricLabelValues(topic.name), Double(topic.partitions.count)))
            minInsync.append(MetricSample(MetricLabelValues(topic.name), Double(minIsr)))
            histories[topic.name] = Self.advance(state.topics[topic.name], with: topic.partitions)
        }
        // Topics absent from this snapshot are deleted: their history (and series) goes.
        state.topics = histories

        var families = [underReplicated.family, offline.family, underMin.family, atMin.family, imbalance.family]
        families.append(MetricFamily(name: MetricNames.topicPartitions, help: Help.topicPartitions, kind: .gauge,
                                     labelNames: ["topic"], samples: partitionCounts))
        families.append(MetricFamily(name: MetricNames.topicMinInsyncReplicas, help: Help.topicMinInsync,
                                     kind: .gauge, labelNames: ["topic"], samples: minInsync))
        families.append(contentsOf: counterFamilies(state, topicNames: topics.map(\.name)))
        return PartitionFamilies(families: families, offline: offline.total, offlineTopics: offlineTopics,
                                 leaders: leaders, replicas: replicas)
    }

    /// The next history of one topic: each present partition's ISR, and its counters advanced
    /// by the brokers that left (shrink) or joined (expand) its ISR since the previous ISR.
    /// A partition first seen starts at 0; a partition no longer present is forgotten.
    static func advance(_ previous: HealthState.TopicHistory?, with partitions: [ClusterSnapshot.Partition])
        -> HealthState.TopicHistory {
        let size = Int(partitions.lazy.map(\.id).max() ?? -1) + 1
        var next = HealthState.TopicHistory(
            isr: Array(repeating: nil, count: size),
            present: Array(repeating: false, count: size),
            shrinks: Array(repeating: 0, count: size),
            expands: Array(repeating: 0, count: size))
        for partition in partitions where partition.id >= 0 {
            let index = Int(partition.id)
            next.isr[index] = partition.isr
            next.present[index] = true
            guard let previous, index < previous.isr.count, let before = previous.isr[index] else { continue }
            next.shrinks[index] = previous.shrinks[index] + Double(before.count { !partition.isr.contains($0) })
            next.expands[index] = previous.expands[index] + Double(partition.isr.count { !before.contains($0) })
        }
        return next
    }

    /// The ISR shrink and expand counters of every present partition, topics in `topicNames`
    /// order: columns sharing the history's arrays, so no per-sample allocation.
    func counterFamilies(_ state: HealthState, topicNames: [String]) -> [MetricFamily] {
        var shrinks: [PartitionColumn] = [], expands: [PartitionColumn] = []
        shrinks.reserveCapacity(topicNames.count)
        expands.reserveCapacity(topicNames.count)
        for name in topicNames {
            guard let history = state.topics[name] else { continue }
            shrinks.append(PartitionColumn(topic: name, present: history.present, values: history.shrinks))
            expands.append(PartitionColumn(topic: name, present: history.present, values: history.expands))
        }
        return [
            MetricFamily(name: MetricNames.isrShrinkEvents, help: Help.isrShrink, kind: .counter,
                         partitionColumns: shrinks),
            MetricFamily(name: MetricNames.isrExpandEvents, help: Help.isrExpand, kind: .counter,
                         partitionColumns: expands),
        ]
    }
}

/// A per-topic gauge family that also sums its values into `topic="__total__"`.
struct PerTopicCounts {
    private let name: String
    private let help: String
    private var samples: [MetricSample]
    private(set) var total = 0

    init(_ name: String, _ help: String, _ topics: Int) {
        self.name = name
        self.help = help
        samples = []
        samples.reserveCapacity(topics + 1)
    }

    mutating func add(_ topic: String, _ count: Int) {
        samples.append(MetricSample(MetricLabelValues(topic), Double(count)))
        total += count
    }

    /// The family, with the total first.
    var family: MetricFamily {
        MetricFamily(name: name, help: help, kind: .gauge, labelNames: ["topic"],
                     samples: [MetricSample(MetricLabelValues(MetricNames.totalTopic), Double(total))] + samples)
    }
}
