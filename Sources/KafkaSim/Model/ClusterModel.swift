/// The replication model of a simulated cluster: brokers, topics, partitions and the
/// controller's rules. A pure state machine: it reads no clock (`now` is passed in, as time
/// since the cluster started), does no I/O, and its mutating methods return the events they
/// caused. `SimulatedCluster` drives it with a timer through `advance(to:)`.
public struct ClusterModel: Sendable {
    /// The cluster id reported in Metadata and DescribeCluster.
    public let clusterId: String
    /// The brokers, by id 1…N (index = id - 1).
    public internal(set) var brokers: [BrokerState]
    /// The topics in creation order.
    public internal(set) var topics: [TopicState]
    /// The controller's broker id: always a live broker, or -1 when none runs.
    public internal(set) var controllerId: Int32
    /// The delays of the model.
    public var timing: ReplicationTiming

    var topicIndex: [String: Int] = [:]
    var pending: [ScheduledTransition] = []
    var random: SplitMix64

    /// A cluster of `brokerCount` running brokers with ids 1…N and no topics. `seed` decides
    /// the model's random choices (assignment start indices, topic ids).
    public init(brokerCount: Int, clusterId: String, timing: ReplicationTiming = ReplicationTiming(),
                seed: UInt64 = 0) {
        precondition(brokerCount >= 1, "a cluster needs a broker")
        self.clusterId = clusterId
        self.brokers = (1...brokerCount).map { BrokerState(id: Int32($0)) }
        self.topics = []
        self.controllerId = 1
        self.timing = timing
        self.random = SplitMix64(seed: seed)
    }

    /// The broker with `id`, if any.
    public func broker(_ id: Int32) -> BrokerState? {
        id >= 1 && Int(id) <= brokers.count ? brokers[Int(id) - 1] : nil
    }

    /// The topic named `name`, if any.
    public func topic(_ name: String) -> TopicState? {
        topicIndex[name].map { topics[$0] }
    }

    /// The ids of the running brokers.
    public var liveBrokerIds: [Int32] { brokers.filter(\.alive).map(\.id) }

    /// When the next delayed transition is due, if any.
    public var nextDeadline: Duration? { pending.map(\.at).min() }

    /// Whether broker `id` runs, as a table indexed by id (index 0 unused), for hot loops.
    var aliveTable: [Bool] { [false] + brokers.map(\.alive) }

    func checkedBrokerIndex(_ id: Int32) throws -> Int {
        guard broker(id) != nil else { throw SimulatorError.unknownBroker(id) }
        return Int(id) - 1
    }

    func checkedTopicIndex(_ name: String) throws -> Int {
        guard let index = topicIndex[name] else { throw SimulatorError.unknownTopic(name) }
        return index
    }

    /// Sets where broker `id` listens (its listener picks the port).
    public mutating func setEndpoint(broker id: Int32, host: String, port: Int) throws {
        let index = try checkedBrokerIndex(id)
        brokers[index].host = host
        brokers[index].port = port
    }

    mutating func schedule(_ kind: ScheduledTransition.Kind, broker: Int32, at: Duration) {
        pending.append(ScheduledTransition(at: at, broker: broker, kind: kind))
    }

    mutating func cancelPending(broker: Int32) {
        pending.removeAll { $0.broker == broker }
    }

    /// Runs every delayed transition due at or before `now`, in time order.
    public mutating func advance(to now: Duration) -> [ClusterEvent] {
        var events: [ClusterEvent] = []
        while let next = pending.enumerated().filter({ $0.element.at <= now })
            .min(by: { $0.element.at < $1.element.at }) {
            pending.remove(at: next.offset)
            events += run(next.element)
        }
        return events
    }

    private mutating func run(_ transition: ScheduledTransition) -> [ClusterEvent] {
        switch transition.kind {
        case .leaveIsrs: leaveIsrs(broker: transition.broker)
        case .catchUp: catchUp(broker: transition.broker)
        case .restorePreferredLeaders: restorePreferredLeaders()
        }
    }
}
