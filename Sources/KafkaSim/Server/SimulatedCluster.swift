import Logging
import NIOCore
import NIOPosix

/// A simulated Kafka cluster: N brokers (ids 1…N), each with its own TCP listener on
/// 127.0.0.1 speaking the Kafka wire protocol, over one replication model (`ClusterModel`)
/// that a timer advances. Tests, the `demo` command and `kafka-sim` drive it with the same
/// controls: stop and start brokers, create and delete topics, set leaders and ISRs, slow a
/// broker or make it answer with errors.
///
/// ```swift
/// let cluster = SimulatedCluster(configuration: .init(brokers: 3, topics: TopicSpec.originalService))
/// try await cluster.start()
/// let bootstrap = await cluster.bootstrapServers   // "127.0.0.1:40001,127.0.0.1:40002,…"
/// try await cluster.stopBroker(2)
/// await cluster.shutdown()
/// ```
public actor SimulatedCluster {
    /// How to build the cluster.
    public struct Configuration: Sendable {
        /// The number of brokers (ids 1…N).
        public var brokers: Int
        /// Topics created at start.
        public var topics: [TopicSpec]
        /// The host the listeners bind and advertise.
        public var host: String
        /// Ports per broker id (index 0 = broker 1); missing or 0 = a free port.
        public var ports: [Int]
        /// The replication model's delays.
        public var timing: ReplicationTiming
        /// The cluster id.
        public var clusterId: String
        /// Seeds the model's random choices; nil for a random seed.
        public var seed: UInt64?
        /// Fixes the replica assignment's start index (nil: seeded random, as Kafka).
        public var assignmentStartIndex: Int?
        /// How often the timer advances the model.
        public var tickInterval: Duration

        /// A configuration with the simulator's defaults.
        public init(brokers: Int = 3, topics: [TopicSpec] = [], host: String = "127.0.0.1", ports: [Int] = [],
                    timing: ReplicationTiming = ReplicationTiming(), clusterId: String = "kafka-sim-cluster-0001",
                    seed: UInt64? = nil, assignmentStartIndex: Int? = nil, tickInterval: Duration = .milliseconds(20)) {
            self.brokers = brokers
            self.topics = topics
            self.host = host
            self.ports = ports
            self.timing = timing
            self.clusterId = clusterId
            self.seed = seed
            self.assignmentStartIndex = assignmentStartIndex
            self.tickInterval = tickInterval
        }
    }

    private let configuration: Configuration
    private let store: ClusterStateStore
    private let group: MultiThreadedEventLoopGroup
    private let logger: Logger
    private let clock = ContinuousClock()
    private let epoch: ContinuousClock.Instant
    private var listeners: [BrokerListener] = []
    private var timer: Task<Void, Never>?
    private var running = false
    /// Serialises the controls that await listeners (start, stop, shutdown): the actor is
    /// reentrant across those awaits, and a start racing a stop must not leave the model and
    /// the listener disagreeing.
    private var lifecycleBusy = false
    private var lifecycleWaiters: [CheckedContinuation<Void, Never>] = []

    /// A cluster not yet listening; `start()` binds it. Invalid topics make `start()` throw.
    public init(configuration: Configuration, logger: Logger = Logger(label: "kafka-sim")) {
        precondition(configuration.brokers >= 1, "a cluster needs at least one broker")
        self.configuration = configuration
        self.logger = logger
        self.store = ClusterStateStore(ClusterModel(
            brokerCount: configuration.brokers, clusterId: configuration.clusterId, timing: configuration.timing,
            seed: configuration.seed ?? UInt64.random(in: .min ... .max)))
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: min(4, System.coreCount))
        self.epoch = clock.now
    }

    /// Time since the cluster was made: the model's clock.
    private var now: Duration { clock.now - epoch }

    /// Creates the configured topics, binds every broker's listener and starts the timer.
    public func start() async throws {
        await acquireLifecycle()
        defer { releaseLifecycle() }
        guard !running else { return }
        for spec in configuration.topics {
            try createTopic(spec)
        }
        for id in 1...configuration.brokers {
            let port = id <= configuration.ports.count ? configuration.ports[id - 1] : 0
            let listener = BrokerListener(brokerId: Int32(id), host: configuration.host, port: port,
                                          group: group, store: store, logger: logger)
            try await listener.start()
            try store.mutate { try $0.setEndpoint(broker: Int32(id), host: listener.host, port: listener.port) }
            listeners.append(listener)
        }
        running = true
        let interval = configuration.tickInterval
        timer = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await self?.tick()
            }
        }
    }

    /// The brokers' addresses, comma-separated `host:port` (running or not).
    public var bootstrapServers: String {
        store.snapshot().brokers.map { "\($0.host):\($0.port)" }.joined(separator: ",")
    }

    /// A snapshot of the whole model: brokers, topics, partitions, configs, timing.
    public func state() -> ClusterModel { store.snapshot() }

    /// Runs the delayed transitions that are due.
    func tick() {
        let now = self.now
        guard let deadline = store.snapshot().nextDeadline, deadline <= now else { return }
        log(store.mutate { $0.advance(to: now) })
    }

    /// Stops broker `id`: it leaves metadata and its listener and connections close.
    public func stopBroker(_ id: Int32) async throws {
        await acquireLifecycle()
        defer { releaseLifecycle() }
        let events = try store.mutate { try $0.stopBroker(id, now: now) }
        if !events.isEmpty && running { await listeners[Int(id) - 1].stop() }
        log(events)
    }

    /// Starts broker `id` again on the same port.
    public func startBroker(_ id: Int32) async throws {
        await acquireLifecycle()
        defer { releaseLifecycle() }
        guard let broker = store.snapshot().broker(id) else { throw SimulatorError.unknownBroker(id) }
        guard !broker.alive else { return }
        if running {
            let listener = listeners[Int(id) - 1]
            do {
                try await listener.start()
            } catch {
                throw SimulatorError(.conflict, "broker \(id) cannot listen on \(listener.host):\(listener.port) again: \(error)")
            }
        }
        log(try store.mutate { try $0.startBroker(id, now: now) })
    }

    /// Creates a topic (see `ClusterModel.createTopic`).
    public func createTopic(_ spec: TopicSpec) throws {
        try store.mutate {
            try $0.createTopic(spec.name, partitions: spec.partitions, replicationFactor: spec.replicationFactor,
                               configs: spec.configs, startIndex: configuration.assignmentStartIndex)
        }
        logger.info("created topic", metadata: ["topic": "\(spec.name)", "partitions": "\(spec.partitions)"])
    }

    /// Creates a topic from its parts (see `createTopic(_: TopicSpec)`).
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int,
                            configs: [String: String] = [:]) throws {
        try createTopic(TopicSpec(name: name, partitions: partitions, replicationFactor: replicationFactor,
                                  configs: configs))
    }

    /// Deletes a topic.
    public func deleteTopic(_ name: String) throws {
        try store.mutate { try $0.deleteTopic(name) }
    }

    /// Sets a partition's leader (a running replica, or -1 for offline).
    public func setLeader(topic: String, partition: Int32, leader: Int32) throws {
        log(try store.mutate { try $0.setLeader(topic: topic, partition: partition, leader: leader) })
    }

    /// Sets a partition's ISR.
    public func setISR(topic: String, partition: Int32, isr: [Int32]) throws {
        log(try store.mutate { try $0.setISR(topic: topic, partition: partition, isr: isr) })
    }

    /// Slows broker `id`: adds `latency` to its responses and, when `lagging`, makes its
    /// replicas fall out of ISRs after the replica lag time. `.zero`/`false` undo it (the
    /// broker then catches up and rejoins ISRs after the catch-up delay).
    public func slowBroker(_ id: Int32, latency: Duration, lagging: Bool) throws {
        let now = self.now
        log(try store.mutate {
            // Lagging first: it refuses a stopped broker before anything changes.
            let events = try $0.setLagging(id, lagging, now: now)
            try $0.setLatency(id, latency)
            return events
        })
    }

    /// Makes broker `id` answer with Kafka error `code` (nil to answer normally again).
    public func setBrokerError(_ id: Int32, code: Int16?) throws {
        try store.mutate { try $0.setInjectedError(id, code) }
    }

    /// Closes every listener, stops the timer and the event loops.
    public func shutdown() async {
        await acquireLifecycle()
        defer { releaseLifecycle() }
        timer?.cancel()
        timer = nil
        for listener in listeners { await listener.shutdown() }
        listeners = []
        running = false
        try? await group.shutdownGracefully()
    }

    private func acquireLifecycle() async {
        guard lifecycleBusy else {
            lifecycleBusy = true
            return
        }
        // Ownership is handed over directly by `releaseLifecycle`.
        await withCheckedContinuation { lifecycleWaiters.append($0) }
    }

    private func releaseLifecycle() {
        if lifecycleWaiters.isEmpty {
            lifecycleBusy = false
        } else {
            lifecycleWaiters.removeFirst().resume()
        }
    }

    private func log(_ events: [ClusterEvent]) {
        for event in events.prefix(20) { logger.info("\(event)") }
        if events.count > 20 { logger.info("… and \(events.count - 20) more events") }
    }
}
