import Testing
@testable import KafkaSim

/// The replication model against DESIGN.md's failure matrix (3 brokers, RF 3,
/// min.insync.replicas=2, unclean election off), driven by a manual clock: each row is a
/// timeline of controls and what the cluster must look like at given moments.
struct ClusterModelTests {
    /// A moment's expected cluster, summarised over all partitions.
    struct Expected: Sendable, CustomStringConvertible {
        var live: [Int32]
        /// The set of leaders over all partitions (-1 for offline ones).
        var leaders: Set<Int32>
        /// The set of ISR sizes over all partitions.
        var isrSizes: Set<Int>
        var offline = 0
        /// Whether every partition is led by its preferred replica.
        var preferredLeaders: Bool? = nil
        var description: String { "live \(live) leaders \(leaders.sorted()) isr sizes \(isrSizes.sorted()) offline \(offline)" }
    }

    /// One row of the matrix.
    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var controls: [(at: Int, action: ControlAction)]
        var checks: [(at: Int, expected: Expected)]
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "one broker stops and restarts", controls: [(0, .stopBroker(2)), (20, .startBroker(2))], checks: [
            (0, Expected(live: [1, 3], leaders: [1, 3], isrSizes: [3])),
            (9, Expected(live: [1, 3], leaders: [1, 3], isrSizes: [3])),
            (10, Expected(live: [1, 3], leaders: [1, 3], isrSizes: [2])),
            (20, Expected(live: [1, 2, 3], leaders: [1, 3], isrSizes: [2])),
            (22, Expected(live: [1, 2, 3], leaders: [1, 3], isrSizes: [3])),
            (23, Expected(live: [1, 2, 3], leaders: [1, 2, 3], isrSizes: [3], preferredLeaders: true)),
        ]),
        Row(name: "two brokers stop", controls: [(0, .stopBroker(2)), (0, .stopBroker(3))], checks: [
            (0, Expected(live: [1], leaders: [1], isrSizes: [3])),
            (10, Expected(live: [1], leaders: [1], isrSizes: [1])),
        ]),
        Row(name: "a slow broker leaves the ISRs, then the other two stop",
            controls: [(0, .slowBroker(3, latency: .zero, lagging: true)), (15, .stopBroker(1)), (15, .stopBroker(2)),
                       (30, .startBroker(1))],
            checks: [
                (10, Expected(live: [1, 2, 3], leaders: [1, 2, 3], isrSizes: [2, 3])),
                (15, Expected(live: [3], leaders: [-1, 3], isrSizes: [2, 3], offline: 4)),
                (25, Expected(live: [3], leaders: [-1, 3], isrSizes: [1, 2], offline: 4)),
                (30, Expected(live: [1, 3], leaders: [1, 3], isrSizes: [1])),
            ]),
        Row(name: "all brokers stop, then one returns",
            controls: [(0, .stopBroker(1)), (0, .stopBroker(2)), (0, .stopBroker(3)), (20, .startBroker(1)),
                       (30, .startBroker(2)), (30, .startBroker(3))],
            checks: [
                (0, Expected(live: [], leaders: [-1], isrSizes: [3], offline: 6)),
                (10, Expected(live: [], leaders: [-1], isrSizes: [3], offline: 6)),
                (20, Expected(live: [1], leaders: [1], isrSizes: [1])),
                (32, Expected(live: [1, 2, 3], leaders: [1], isrSizes: [3])),
                (33, Expected(live: [1, 2, 3], leaders: [1, 2, 3], isrSizes: [3], preferredLeaders: true)),
            ]),
    ]

    @Test(arguments: rows)
    func followsTheFailureMatrix(row: Row) throws {
        var model = Self.cluster()
        var controls = row.controls[...]
        for check in row.checks {
            while let next = controls.first, next.at <= check.at {
                _ = model.advance(to: .seconds(next.at))
                try Self.apply(next.action, to: &model, at: .seconds(next.at))
                controls = controls.dropFirst()
            }
            _ = model.advance(to: .seconds(check.at))
            let seen = Self.summary(model)
            #expect(seen.description == check.expected.description, "at \(check.at)s")
            if let preferred = check.expected.preferredLeaders {
                #expect(seen.preferredLeaders == preferred, "at \(check.at)s")
            }
            Self.checkInvariants(model)
        }
    }

    @Test func leaderIsNeverADeadBrokerAndOfflinePartitionsReportNoLeader() throws {
        var model = Self.cluster()
        for (second, id) in [(0, Int32(1)), (1, 2), (2, 3)] {
            _ = try model.stopBroker(id, now: .seconds(second))
            Self.checkInvariants(model)
        }
        #expect(model.controllerId == -1)
        #expect(model.advance(to: .seconds(40)).isEmpty, "offline partitions keep their ISR")
        _ = try model.startBroker(3, now: .seconds(40))
        #expect(model.controllerId == 3)
        // Broker 3 is in every ISR and leads all; 1 and 2, out of sync for long, are dropped.
        #expect(model.topics[0].partitions.allSatisfy { $0.leader == 3 && $0.isr == [3] })
    }

    @Test func directControlsValidateTheirInput() throws {
        var model = Self.cluster()
        #expect(throws: SimulatorError.unknownBroker(9)) { try model.stopBroker(9, now: .zero) }
        #expect(throws: SimulatorError.unknownTopic("nope")) { try model.deleteTopic("nope") }
        #expect(throws: SimulatorError.unknownPartition("t", 6)) { try model.setLeader(topic: "t", partition: 6, leader: 1) }
        #expect(throws: SimulatorError.self) { try model.setISR(topic: "t", partition: 0, isr: []) }
        #expect(throws: SimulatorError.self) { try model.setISR(topic: "t", partition: 0, isr: [1, 1]) }
        #expect(throws: SimulatorError.self) { try model.createTopic("bad name!", partitions: 1, replicationFactor: 1) }
        #expect(throws: SimulatorError.self) { try model.createTopic("big", partitions: 1, replicationFactor: 4) }
        #expect(throws: SimulatorError.self) { try model.createTopic("huge", partitions: 1 << 40, replicationFactor: 1) }
        #expect(throws: SimulatorError.self) { try model.createTopic("none", partitions: 0, replicationFactor: 1) }
        #expect(throws: SimulatorError.self) { try model.createTopic("t", partitions: 1, replicationFactor: 1) }
        _ = try model.stopBroker(2, now: .zero)
        #expect(throws: SimulatorError.self) { try model.setLeader(topic: "t", partition: 0, leader: 2) }
    }

    @Test func setIsrReelectsWhenTheLeaderLeavesIt() throws {
        var model = Self.cluster()
        let partition = model.topics[0].partitions[0]
        let events = try model.setISR(topic: "t", partition: 0, isr: [partition.replicas[2]])
        #expect(model.topics[0].partitions[0].leader == partition.replicas[2])
        #expect(model.topics[0].partitions[0].leaderEpoch == 1)
        #expect(events.contains(.isrShrunk(topic: "t", partition: 0, broker: partition.replicas[0])))
    }

    @Test func topicsGetTheOriginalClustersDefaults() throws {
        var model = Self.cluster()
        try model.createTopic("two", partitions: 1, replicationFactor: 2)
        try model.createTopic("custom", partitions: 1, replicationFactor: 3, configs: ["min.insync.replicas": "3"])
        #expect(model.topic("t")?.configs == ["min.insync.replicas": "2", "unclean.leader.election.enable": "false"])
        #expect(model.topic("two")?.configs["min.insync.replicas"] == "1")
        #expect(model.topic("custom")?.configs["min.insync.replicas"] == "3")
    }

    @Test func uncleanElectionLetsAnOutOfSyncReplicaLead() throws {
        var model = Self.cluster()
        try model.createTopic("u", partitions: 1, replicationFactor: 3, configs: ["unclean.leader.election.enable": "true"])
        let replicas = model.topic("u")!.partitions[0].replicas
        _ = try model.setISR(topic: "u", partition: 0, isr: [replicas[0]])
        _ = try model.stopBroker(replicas[0], now: .zero)
        #expect(model.topic("u")!.partitions[0].leader == replicas[1])
        #expect(model.topic("u")!.partitions[0].isr == [replicas[1]])
    }

    // MARK: helpers

    static func cluster() -> ClusterModel {
        var model = ClusterModel(brokerCount: 3, clusterId: "test",
                                 timing: ReplicationTiming(replicaLagTime: .seconds(10), catchUpDelay: .seconds(2),
                                                           preferredLeaderDelay: .seconds(1)))
        try! model.createTopic("t", partitions: 6, replicationFactor: 3, startIndex: 0)
        return model
    }

    static func apply(_ action: ControlAction, to model: inout ClusterModel, at now: Duration) throws {
        switch action {
        case .stopBroker(let id): _ = try model.stopBroker(id, now: now)
        case .startBroker(let id): _ = try model.startBroker(id, now: now)
        case .slowBroker(let id, _, let lagging): _ = try model.setLagging(id, lagging, now: now)
        default: Issue.record("unused in these tables: \(action)")
        }
    }

    static func summary(_ model: ClusterModel) -> (description: String, preferredLeaders: Bool) {
        let partitions = model.topics.flatMap(\.partitions)
        let expected = Expected(live: model.liveBrokerIds, leaders: Set(partitions.map(\.leader)),
                                isrSizes: Set(partitions.map(\.isr.count)),
                                offline: partitions.filter { $0.leader == -1 }.count)
        return (expected.description, partitions.allSatisfy { $0.leader == $0.preferredLeader })
    }

    /// What must hold at every moment: a leader is a live ISR member, the controller is live.
    static func checkInvariants(_ model: ClusterModel) {
        for topic in model.topics {
            for (index, partition) in topic.partitions.enumerated() where partition.leader != -1 {
                #expect(model.broker(partition.leader)?.alive == true, "\(topic.name)-\(index) led by a dead broker")
                #expect(partition.isr.contains(partition.leader), "\(topic.name)-\(index) leader outside ISR")
            }
        }
        if model.controllerId != -1 { #expect(model.broker(model.controllerId)?.alive == true) }
    }
}
