@testable import Exporter

/// Compact builders for hand-made snapshots, so a test reads as a sequence of cluster states.
enum Build {
    /// A partition `id` led by `leader`, with replicas and ISR.
    static func partition(_ id: Int32, leader: Int32, replicas: [Int32] = [1, 2, 3], isr: [Int32],
                          error: Int32 = 0) -> ClusterSnapshot.Partition {
        .init(id: id, leader: leader, replicas: replicas, isr: isr, errorCode: error)
    }

    /// A healthy partition on brokers 1, 2, 3 with the leader rotating by id.
    static func healthy(_ id: Int32) -> ClusterSnapshot.Partition {
        let replicas = (0..<3).map { Int32((Int(id) + $0) % 3 + 1) }
        return .init(id: id, leader: replicas[0], replicas: replicas, isr: replicas)
    }

    /// A topic with partitions and optional `min.insync.replicas`.
    static func topic(_ name: String, _ partitions: [ClusterSnapshot.Partition], minIsr: Int? = nil) -> ClusterSnapshot.Topic {
        .init(name: name, partitions: partitions, minInsyncReplicas: minIsr)
    }

    /// A snapshot with the given live broker ids (host `kafka-N`, port `9091+N`) and topics.
    static func snapshot(brokers: [Int32] = [1, 2, 3], _ topics: [ClusterSnapshot.Topic]) -> ClusterSnapshot {
        ClusterSnapshot(clusterID: "test-cluster", controllerID: brokers.first,
                        brokers: brokers.map { .init(id: $0, host: "kafka-\($0)", port: 9091 + $0) },
                        topics: topics)
    }
}

/// Runs a deriver over a sequence of outcomes (a snapshot, or nil for a failed collection)
/// and keeps every derivation.
struct DerivationRun {
    var deriver = HealthDeriver()
    var state = HealthState()
    var derivations: [HealthDeriver.Derivation] = []

    init(deriver: HealthDeriver = HealthDeriver(), _ outcomes: [ClusterSnapshot?]) {
        self.deriver = deriver
        for outcome in outcomes { step(outcome) }
    }

    mutating func step(_ outcome: ClusterSnapshot?) {
        if let outcome {
            derivations.append(deriver.derive(&state, snapshot: outcome))
        } else {
            derivations.append(deriver.deriveFailure(&state, reason: "connection refused"))
        }
    }

    /// The last derivation.
    var last: HealthDeriver.Derivation { derivations[derivations.count - 1] }

    /// A sample of the last derivation: `value("kafka_offline_partitions", "t")`.
    func value(_ name: String, _ labels: String...) -> Double? {
        guard let family = last.families.first(where: { $0.name == name }) else { return nil }
        return family.samples.first { $0.labels.values == labels }?.value
    }

    /// Whether the last derivation has a family with this name.
    func has(_ name: String) -> Bool { last.families.contains { $0.name == name } }

    /// Every event of every derivation, in order.
    var allEvents: [HealthEvent] { derivations.flatMap(\.events) }
}
