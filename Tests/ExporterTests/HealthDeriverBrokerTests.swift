import Testing
@testable import Exporter

/// DESIGN.md: a broker is offline when it is expected and absent from metadata; expected is
/// the configured list or every broker seen before (replica sets included).
@Suite struct HealthDeriverBrokerTests {
    let topics = [Build.topic("t", (0..<3).map(Build.healthy))]

    @Test func allBrokersOnline() {
        let run = DerivationRun([Build.snapshot(topics)])
        #expect(run.value(MetricNames.clusterBrokers) == 3)
        #expect(run.value(MetricNames.up) == 1)
        for id: Int32 in 1...3 {
            #expect(run.value(MetricNames.brokerOnline, "\(id)", "kafka-\(id)", "\(9091 + id)") == 1)
        }
        #expect(run.value(MetricNames.clusterInfo, "test-cluster") == 1)
        #expect(run.allEvents.isEmpty)
    }

    @Test func vanishedBrokerStaysVisibleAsZeroWithItsLastAddress() {
        let run = DerivationRun([Build.snapshot(topics), Build.snapshot(brokers: [1, 3], topics)])
        #expect(run.value(MetricNames.brokerOnline, "2", "kafka-2", "9093") == 0)
        #expect(run.value(MetricNames.clusterBrokers) == 2)
        #expect(run.value(MetricNames.clusterExpectedBrokers) == 3)
    }

    @Test func brokerOnlyInReplicaSetsIsExpected() {
        // Broker 3 was never in Metadata, but partitions name it as a replica.
        let run = DerivationRun([Build.snapshot(brokers: [1, 2], topics)])
        #expect(run.value(MetricNames.brokerOnline, "3", "", "") == 0)
        #expect(run.allEvents == [.brokersMissing(missing: [3], online: 2, expected: 3)])
    }

    @Test func configuredBrokersAreExpectedEvenIfNeverSeen() {
        let run = DerivationRun(deriver: HealthDeriver(expectedBrokers: [1, 2, 3, 4]), [Build.snapshot(topics)])
        #expect(run.value(MetricNames.brokerOnline, "4", "", "") == 0)
        #expect(run.value(MetricNames.clusterExpectedBrokers) == 4)
    }

    @Test func missingBrokersAreReportedOncePerChange() {
        let full = Build.snapshot(topics), without2 = Build.snapshot(brokers: [1, 3], topics)
        let only1 = Build.snapshot(brokers: [1], topics)
        let run = DerivationRun([full, without2, without2, only1, only1, full, full])
        #expect(run.allEvents == [
            .brokersMissing(missing: [2], online: 2, expected: 3),
            .brokersMissing(missing: [2, 3], online: 1, expected: 3),
            .brokersRestored(expected: 3),
        ])
    }

    @Test func leaderAndReplicaCountsPerBroker() {
        let topic = Build.topic("t", [
            Build.partition(0, leader: 1, isr: [1, 2, 3]),
            Build.partition(1, leader: 1, replicas: [2, 1, 3], isr: [1, 3]),
            Build.partition(2, leader: -1, replicas: [3, 1], isr: []),
        ])
        let run = DerivationRun([Build.snapshot([topic])])
        #expect(run.value(MetricNames.brokerLeaderPartitions, "1") == 2)
        #expect(run.value(MetricNames.brokerLeaderPartitions, "3") == 0)
        #expect(run.value(MetricNames.brokerReplicaPartitions, "1") == 3)
        #expect(run.value(MetricNames.brokerReplicaPartitions, "2") == 2)
        #expect(run.value(MetricNames.preferredLeaderImbalance, "t") == 1)
    }

    @Test func failedCollectionMarksEveryExpectedBrokerOfflineAndDropsPartitionGauges() {
        var topic = Build.topic("t", (0..<2).map(Build.healthy))
        let before = Build.snapshot([topic])
        topic.partitions[0].isr = [topic.partitions[0].leader]
        let run = DerivationRun([before, Build.snapshot([topic]), nil])
        #expect(run.value(MetricNames.up) == 0)
        #expect(run.value(MetricNames.clusterBrokers) == 0)
        for id: Int32 in 1...3 {
            #expect(run.value(MetricNames.brokerOnline, "\(id)", "kafka-\(id)", "\(9091 + id)") == 0)
        }
        for dropped in [MetricNames.underReplicatedPartitions, MetricNames.offlinePartitions,
                        MetricNames.underMinIsrPartitions, MetricNames.clusterTopics, MetricNames.clusterPartitions] {
            #expect(!run.has(dropped), "\(dropped) must be dropped, not frozen")
        }
        // Counters are facts about the past: they stay.
        #expect(run.value(MetricNames.isrShrinkEvents, "t", "0") == 2)
        #expect(run.allEvents == [.collectionFailed(reason: "connection refused"),
                                  .brokersMissing(missing: [1, 2, 3], online: 0, expected: 3)])
    }

    @Test func recoveryAfterFailureIsReported() {
        let run = DerivationRun([nil, nil, Build.snapshot(topics)])
        #expect(run.value(MetricNames.up) == 1)
        #expect(run.allEvents == [.collectionFailed(reason: "connection refused"), .collectionRecovered])
    }
}
