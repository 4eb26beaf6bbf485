import Testing
@testable import Exporter

/// DESIGN.md's partition semantics: under-replicated, offline, ISR shrink/expand counting,
/// min.insync.replicas boundaries, deleted topics.
@Suite struct HealthDeriverPartitionTests {
    /// One partition of topic "t" whose ISR changes from snapshot to snapshot.
    static func isrSequence(_ isrs: [[Int32]]) -> DerivationRun {
        DerivationRun(isrs.map { isr in
            Build.snapshot([Build.topic("t", [Build.partition(0, leader: isr.first ?? -1, isr: isr)])])
        })
    }

    struct IsrCase: Sendable, CustomTestStringConvertible {
        let name: String
        let isrs: [[Int32]]
        let shrinks: Double
        let expands: Double
        var testDescription: String { name }
    }

    @Test(arguments: [
        IsrCase(name: "first collection exposes 0", isrs: [[1, 2, 3]], shrinks: 0, expands: 0),
        IsrCase(name: "unchanged", isrs: [[1, 2, 3], [1, 2, 3]], shrinks: 0, expands: 0),
        IsrCase(name: "shrink by one", isrs: [[1, 2, 3], [1, 2]], shrinks: 1, expands: 0),
        IsrCase(name: "shrink by two", isrs: [[1, 2, 3], [1]], shrinks: 2, expands: 0),
        IsrCase(name: "shrink then expand", isrs: [[1, 2, 3], [1], [1, 2, 3]], shrinks: 2, expands: 2),
        IsrCase(name: "order does not matter", isrs: [[1, 2, 3], [3, 2, 1]], shrinks: 0, expands: 0),
        IsrCase(name: "swap counts both", isrs: [[1, 2], [1, 3]], shrinks: 1, expands: 1),
        IsrCase(name: "repeated shrinks accumulate", isrs: [[1, 2, 3], [1, 2], [1, 2, 3], [1]],
                shrinks: 3, expands: 1),
    ])
    func isrEventCounters(_ test: IsrCase) {
        let run = Self.isrSequence(test.isrs)
        #expect(run.value(MetricNames.isrShrinkEvents, "t", "0") == test.shrinks)
        #expect(run.value(MetricNames.isrExpandEvents, "t", "0") == test.expands)
    }

    @Test func countersNeverDecreaseAcrossFailures() {
        var run = Self.isrSequence([[1, 2, 3], [1]])
        run.step(nil)
        #expect(run.value(MetricNames.isrShrinkEvents, "t", "0") == 2)
        run.step(Build.snapshot([Build.topic("t", [Build.partition(0, leader: 1, isr: [1])])]))
        #expect(run.value(MetricNames.isrShrinkEvents, "t", "0") == 2)
    }

    @Test func underReplicatedPerTopicAndTotal() {
        let run = DerivationRun([Build.snapshot([
            Build.topic("a", [Build.partition(0, leader: 1, isr: [1, 2]), Build.partition(1, leader: 2, isr: [2])]),
            Build.topic("b", [Build.partition(0, leader: 3, isr: [3, 1]), Build.healthy(1)]),
            Build.topic("c", [Build.healthy(0)]),
        ])])
        #expect(run.value(MetricNames.underReplicatedPartitions, "a") == 2)
        #expect(run.value(MetricNames.underReplicatedPartitions, "b") == 1)
        #expect(run.value(MetricNames.underReplicatedPartitions, "c") == 0)
        #expect(run.value(MetricNames.underReplicatedPartitions, MetricNames.totalTopic) == 3)
        #expect(run.value(MetricNames.clusterTopics) == 3)
        #expect(run.value(MetricNames.clusterPartitions) == 5)
    }

    @Test func partitionLosingItsLeaderIsOfflineAndReportedOnce() {
        let healthy = Build.snapshot([Build.topic("t", (0..<4).map(Build.healthy))])
        var broken = healthy
        broken.topics[0].partitions[1].leader = -1
        var errorOnly = healthy
        errorOnly.topics[0].partitions[1].errorCode = ClusterSnapshot.Partition.leaderNotAvailable
        let run = DerivationRun([healthy, broken, broken, healthy, errorOnly])
        #expect(run.value(MetricNames.offlinePartitions, "t") == 1)
        #expect(run.value(MetricNames.offlinePartitions, MetricNames.totalTopic) == 1)
        #expect(run.allEvents == [.partitionsOffline(count: 1, topics: ["t"]), .partitionsOnline,
                                  .partitionsOffline(count: 1, topics: ["t"])])
    }

    struct MinIsrCase: Sendable, CustomTestStringConvertible {
        let minIsr: Int?
        let isr: [Int32]
        let under: Double
        let at: Double
        var testDescription: String { "min.insync=\(minIsr.map(String.init) ?? "default 1") ISR=\(isr)" }
    }

    @Test(arguments: [
        MinIsrCase(minIsr: 2, isr: [1, 2, 3], under: 0, at: 0),
        MinIsrCase(minIsr: 2, isr: [1, 2], under: 0, at: 1),
        MinIsrCase(minIsr: 2, isr: [1], under: 1, at: 0),
        MinIsrCase(minIsr: 2, isr: [], under: 1, at: 0),
        MinIsrCase(minIsr: 3, isr: [1, 2, 3], under: 0, at: 1),
        MinIsrCase(minIsr: nil, isr: [1], under: 0, at: 1),
        MinIsrCase(minIsr: nil, isr: [], under: 1, at: 0),
    ])
    func minInsyncReplicasBoundaries(_ test: MinIsrCase) {
        let topic = Build.topic("t", [Build.partition(0, leader: test.isr.first ?? -1, isr: test.isr)], minIsr: test.minIsr)
        let run = DerivationRun([Build.snapshot([topic])])
        #expect(run.value(MetricNames.underMinIsrPartitions, "t") == test.under)
        #expect(run.value(MetricNames.atMinIsrPartitions, "t") == test.at)
        #expect(run.value(MetricNames.underMinIsrPartitions, MetricNames.totalTopic) == test.under)
        #expect(run.value(MetricNames.topicMinInsyncReplicas, "t") == Double(test.minIsr ?? 1))
    }

    @Test func configuredDefaultMinInsyncAppliesWhenTopicConfigIsUnknown() {
        let topic = Build.topic("t", [Build.partition(0, leader: 1, isr: [1, 2])])
        let run = DerivationRun(deriver: HealthDeriver(defaultMinInsyncReplicas: 2), [Build.snapshot([topic])])
        #expect(run.value(MetricNames.atMinIsrPartitions, "t") == 1)
    }

    @Test func deletedTopicsSeriesDisappear() {
        let both = Build.snapshot([Build.topic("keep", [Build.healthy(0)]), Build.topic("gone", [Build.healthy(0)])])
        let one = Build.snapshot([Build.topic("keep", [Build.healthy(0)])])
        let run = DerivationRun([both, one])
        for family in run.last.families where family.labelNames.first == "topic" {
            #expect(!family.samples.contains { $0.labels[0] == "gone" }, "\(family.name) still has topic gone")
        }
        #expect(run.value(MetricNames.isrShrinkEvents, "keep", "0") == 0)
        #expect(run.value(MetricNames.clusterTopics) == 1)
    }

    @Test func recreatedTopicStartsItsCountersAgain() {
        let shrunk = Build.snapshot([Build.topic("t", [Build.partition(0, leader: 1, isr: [1])])])
        let healthy = Build.snapshot([Build.topic("t", [Build.healthy(0)])])
        var run = DerivationRun([healthy, shrunk])
        #expect(run.value(MetricNames.isrShrinkEvents, "t", "0") == 2)
        run.step(Build.snapshot([]))
        run.step(shrunk)
        #expect(run.value(MetricNames.isrShrinkEvents, "t", "0") == 0)
    }
}
