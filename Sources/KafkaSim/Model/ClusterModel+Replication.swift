/// The controller's rules: leader election, ISR shrink and expansion, preferred leaders.
extension ClusterModel {
    /// Elects a new leader for every partition matching `condition`: the first replica (in
    /// assignment order) that runs and is in the ISR. With none and unclean election off the
    /// partition goes offline (leader -1, ISR kept, as Kafka keeps the last ISR); with unclean
    /// election on, the first live replica leads and the ISR becomes just it. A leader elected
    /// for an offline partition drops the replicas that are out of sync (past the lag time).
    mutating func reelectLeaders(where condition: (PartitionState) -> Bool) -> [ClusterEvent] {
        let alive = aliveTable
        let outOfSync = [false] + brokers.map(\.outOfSync)
        var events: [ClusterEvent] = []
        for t in topics.indices {
            let unclean = topics[t].uncleanLeaderElection
            let name = topics[t].name
            for p in topics[t].partitions.indices where condition(topics[t].partitions[p]) {
                let old = topics[t].partitions[p].leader
                var partition = topics[t].partitions[p]
                if let leader = partition.replicas.first(where: { alive[Int($0)] && partition.isr.contains($0) }) {
                    partition.leader = leader
                } else if unclean, let leader = partition.replicas.first(where: { alive[Int($0)] }) {
                    partition.leader = leader
                    partition.isr = [leader]
                } else {
                    partition.leader = -1
                }
                guard partition.leader != old else { continue }
                partition.leaderEpoch += 1
                events.append(.leaderChanged(topic: name, partition: Int32(p), from: old, to: partition.leader))
                if old == -1 {
                    let leader = partition.leader
                    for gone in partition.isr where gone != leader && outOfSync[Int(gone)] {
                        events.append(.isrShrunk(topic: name, partition: Int32(p), broker: gone))
                    }
                    partition.isr.removeAll { $0 != leader && outOfSync[Int($0)] }
                }
                topics[t].partitions[p] = partition
            }
        }
        return events
    }

    /// A stopped or lagging broker leaves every ISR where a live leader other than itself
    /// could shrink it. Offline partitions keep their ISR: no leader is there to shrink it.
    mutating func leaveIsrs(broker id: Int32) -> [ClusterEvent] {
        brokers[Int(id) - 1].outOfSync = true
        let alive = aliveTable
        var events: [ClusterEvent] = []
        for t in topics.indices {
            for p in topics[t].partitions.indices {
                let partition = topics[t].partitions[p]
                guard partition.leader != id, partition.leader != -1, alive[Int(partition.leader)],
                      let position = partition.isr.firstIndex(of: id) else { continue }
                topics[t].partitions[p].isr.remove(at: position)
                events.append(.isrShrunk(topic: topics[t].name, partition: Int32(p), broker: id))
            }
        }
        return events
    }

    /// Broker `id` has caught up: it is in sync again. Every in-sync live replica missing from
    /// the ISR of a partition with a live leader joins it (so followers of partitions that came
    /// back online meanwhile rejoin too).
    mutating func catchUp(broker id: Int32) -> [ClusterEvent] {
        let index = Int(id) - 1
        guard brokers[index].alive, brokers[index].replication == .catchingUp else { return [] }
        brokers[index].replication = .inSync
        let eligible = [false] + brokers.map { $0.alive && $0.replication == .inSync }
        var events: [ClusterEvent] = []
        for t in topics.indices {
            for p in topics[t].partitions.indices {
                let partition = topics[t].partitions[p]
                guard partition.leader != -1 else { continue }
                for replica in partition.replicas where eligible[Int(replica)] && !partition.isr.contains(replica) {
                    topics[t].partitions[p].isr.append(replica)
                    events.append(.isrExpanded(topic: topics[t].name, partition: Int32(p), broker: replica))
                }
            }
        }
        return events
    }

    /// Moves leadership back to each partition's preferred replica where it runs and is in sync
    /// (as Kafka's automatic preferred-leader election does).
    mutating func restorePreferredLeaders() -> [ClusterEvent] {
        let alive = aliveTable
        var events: [ClusterEvent] = []
        for t in topics.indices {
            for p in topics[t].partitions.indices {
                let partition = topics[t].partitions[p]
                let preferred = partition.preferredLeader
                guard preferred != partition.leader, alive[Int(preferred)],
                      partition.isr.contains(preferred) else { continue }
                topics[t].partitions[p].leader = preferred
                topics[t].partitions[p].leaderEpoch += 1
                events.append(.leaderChanged(topic: topics[t].name, partition: Int32(p),
                                             from: partition.leader, to: preferred))
            }
        }
        return events
    }
}
