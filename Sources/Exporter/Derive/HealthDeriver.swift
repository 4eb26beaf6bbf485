/// Turns a collection's outcome and the previous `HealthState` into metric families and
/// health events, following DESIGN.md's semantics.
///
/// Pure: the result depends only on the settings, the state passed in and the outcome. No
/// clock, no globals, no I/O, so every rule is a table-driven test over hand-built snapshots.
public struct HealthDeriver: Sendable {
    /// The configured broker ids; nil to learn them (replica sets plus brokers seen before).
    public var expectedBrokers: [Int32]?
    /// `min.insync.replicas` for topics whose config is unknown (Kafka's default is 1).
    public var defaultMinInsyncReplicas: Int

    /// A deriver with the given expectations.
    public init(expectedBrokers: [Int32]? = nil, defaultMinInsyncReplicas: Int = 1) {
        self.expectedBrokers = expectedBrokers
        self.defaultMinInsyncReplicas = defaultMinInsyncReplicas
    }

    /// What one derivation produced.
    public struct Derivation: Sendable {
        /// The Kafka metric families, in exposition order.
        public var families: [MetricFamily]
        /// Health changes since the previous derivation.
        public var events: [HealthEvent]
    }

    /// Derives from a successful collection, advancing `state`.
    public func derive(_ state: inout HealthState, snapshot: ClusterSnapshot) -> Derivation {
        var events: [HealthEvent] = []
        if state.lastCollectionSucceeded == false { events.append(.collectionRecovered) }
        state.lastCollectionSucceeded = true
        // One pass over the partitions (they can number a million) computes everything.
        let partitions = partitionFamilies(&state, snapshot: snapshot)
        learnBrokers(&state, from: snapshot, replicas: partitions.replicas)
        let expected = expectedBrokerIDs(state)
        let online = Set(snapshot.brokers.map(\.id))
        reportMissingBrokers(&state, expected: expected, online: online, events: &events)

        var families = clusterFamilies(snapshot, expected: expected, up: true)
        families.append(brokerOnlineFamily(state, expected: expected, online: online))
        families.append(contentsOf: brokerLoadFamilies(snapshot, expected: expected,
                                                       leaders: partitions.leaders, replicas: partitions.replicas))
        families.append(contentsOf: partitions.families)

        if partitions.offline != state.lastOfflinePartitions {
            events.append(partitions.offline > 0
                ? .partitionsOffline(count: partitions.offline, topics: partitions.offlineTopics)
                : .partitionsOnline)
            state.lastOfflinePartitions = partitions.offline
        }
        return Derivation(families: families, events: events)
    }

    /// Derives from a failed collection: `kafka_up 0`, every expected broker offline,
    /// partition-level gauges dropped (unknown, not frozen), counters kept.
    public func deriveFailure(_ state: inout HealthState, reason: String) -> Derivation {
        var events: [HealthEvent] = []
        if state.lastCollectionSucceeded != false { events.append(.collectionFailed(reason: reason)) }
        state.lastCollectionSucceeded = false
        let expected = expectedBrokerIDs(state)
        reportMissingBrokers(&state, expected: expected, online: [], events: &events)
        var families = [
            MetricFamily(name: MetricNames.up, help: Help.up, kind: .gauge, samples: [MetricSample(0)]),
            MetricFamily(name: MetricNames.clusterBrokers, help: Help.clusterBrokers, kind: .gauge,
                         samples: [MetricSample(0)]),
            MetricFamily(name: MetricNames.clusterExpectedBrokers, help: Help.expectedBrokers, kind: .gauge,
                         samples: [MetricSample(Double(expected.count))]),
        ]
        families.append(brokerOnlineFamily(state, expected: expected, online: []))
        families.append(contentsOf: counterFamilies(state, topicNames: state.topics.keys.sorted()))
        return Derivation(families: families, events: events)
    }

    /// Remembers every broker in Metadata (with its address) and every id in a replica set.
    func learnBrokers(_ state: inout HealthState, from snapshot: ClusterSnapshot, replicas: BrokerTally) {
        for broker in snapshot.brokers {
            state.knownBrokers[broker.id] = .init(host: broker.host, port: String(broker.port))
        }
        for (id, _) in replicas.counts where id >= 0 && state.knownBrokers[id] == nil {
            state.knownBrokers[id] = .init(host: "", port: "")
        }
    }

    /// The expected broker ids, sorted: the configured list, or every broker known so far.
    func expectedBrokerIDs(_ state: HealthState) -> [Int32] {
        if let expectedBrokers { return Array(Set(expectedBrokers)).sorted() }
        return state.knownBrokers.keys.sorted()
    }

    func reportMissingBrokers(_ state: inout HealthState, expected: [Int32], online: Set<Int32>,
                              events: inout [HealthEvent]) {
        let missing = expected.filter { !online.contains($0) }
        guard missing != (state.lastMissingBrokers ?? []) else {
            state.lastMissingBrokers = missing
            return
        }
        let onlineExpected = expected.count - missing.count
        events.append(missing.isEmpty
            ? .brokersRestored(expected: expected.count)
            : .brokersMissing(missing: missing, online: onlineExpected, expected: expected.count))
        state.lastMissingBrokers = missing
    }

    func clusterFamilies(_ snapshot: ClusterSnapshot, expected: [Int32], up: Bool) -> [MetricFamily] {
        let partitionCount = snapshot.topics.reduce(0) { $0 + $1.partitions.count }
        var families = [
            MetricFamily(name: MetricNames.up, help: Help.up, kind: .gauge, samples: [MetricSample(1)]),
            MetricFamily(name: MetricNames.clusterInfo, help: Help.clusterInfo, kind: .gauge,
                         labelNames: ["cluster_id"],
                         samples: [MetricSample(MetricLabelValues(snapshot.clusterID ?? ""), 1)]),
            MetricFamily(name: MetricNames.clusterBrokers, help: Help.clusterBrokers, kind: .gauge,
                         samples: [MetricSample(Double(snapshot.brokers.count))]),
            MetricFamily(name: MetricNames.clusterExpectedBrokers, help: Help.expectedBrokers, kind: .gauge,
                         samples: [MetricSample(Double(expected.count))]),
            MetricFamily(name: MetricNames.clusterTopics, help: Help.clusterTopics, kind: .gauge,
                         samples: [MetricSample(Double(snapshot.topics.count))]),
            MetricFamily(name: MetricNames.clusterPartitions, help: Help.clusterPartitions, kind: .gauge,
                         samples: [MetricSample(Double(partitionCount))]),
        ]
        if let controller = snapshot.controllerID, controller >= 0 {
            families.append(MetricFamily(name: MetricNames.clusterControllerID, help: Help.controller,
                                         kind: .gauge, samples: [MetricSample(Double(controller))]))
        }
        return families
    }

    /// `kafka_broker_online`: 1 for brokers in Metadata, 0 for expected brokers absent from it.
    func brokerOnlineFamily(_ state: HealthState, expected: [Int32], online: Set<Int32>) -> MetricFamily {
        let ids = Set(expected).union(online).sorted()
        let samples = ids.map { id -> MetricSample in
            let address = state.knownBrokers[id] ?? .init(host: "", port: "")
            return MetricSample(MetricLabelValues(String(id), address.host, address.port),
                                online.contains(id) ? 1 : 0)
        }
        return MetricFamily(name: MetricNames.brokerOnline, help: Help.brokerOnline, kind: .gauge,
                            labelNames: ["broker_id", "host", "port"], samples: samples)
    }

    /// Per-broker leader and replica counts, for every broker online, expected or assigned.
    func brokerLoadFamilies(_ snapshot: ClusterSnapshot, expected: [Int32],
                            leaders: BrokerTally, replicas: BrokerTally) -> [MetricFamily] {
        var leaders = leaders, replicas = replicas
        for id in expected { leaders.include(id); replicas.include(id) }
        for broker in snapshot.brokers { leaders.include(broker.id); replicas.include(broker.id) }
        for (id, _) in replicas.counts { leaders.include(id) }
        func family(_ name: String, _ help: String, _ tally: BrokerTally) -> MetricFamily {
            MetricFamily(name: name, help: help, kind: .gauge, labelNames: ["broker_id"],
                         samples: tally.counts.map { MetricSample(MetricLabelValues(String($0.id)), Double($0.count)) })
        }
        return [family(MetricNames.brokerLeaderPartitions, Help.brokerLeaders, leaders),
                family(MetricNames.brokerReplicaPartitions, Help.brokerReplicas, replicas)]
    }
}
