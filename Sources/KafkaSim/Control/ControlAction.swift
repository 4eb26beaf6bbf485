/// One control of the simulated cluster, as the HTTP API and scenario files express it.
public enum ControlAction: Sendable, Equatable {
    /// Stop a broker (it leaves metadata; its listener closes).
    case stopBroker(Int32)
    /// Start a stopped broker on its old port.
    case startBroker(Int32)
    /// Add latency to a broker's responses and/or make its replicas lag out of ISRs.
    case slowBroker(Int32, latency: Duration, lagging: Bool)
    /// Make a broker answer with a Kafka error code (nil: answer normally).
    case setBrokerError(Int32, code: Int16?)
    /// Create a topic.
    case createTopic(TopicSpec)
    /// Delete a topic.
    case deleteTopic(String)
    /// Set a partition's leader.
    case setLeader(topic: String, partition: Int32, leader: Int32)
    /// Set a partition's ISR.
    case setISR(topic: String, partition: Int32, isr: [Int32])
}

extension SimulatedCluster {
    /// Performs one control action.
    public func perform(_ action: ControlAction) async throws {
        switch action {
        case .stopBroker(let id): try await stopBroker(id)
        case .startBroker(let id): try await startBroker(id)
        case .slowBroker(let id, let latency, let lagging): try slowBroker(id, latency: latency, lagging: lagging)
        case .setBrokerError(let id, let code): try setBrokerError(id, code: code)
        case .createTopic(let spec): try createTopic(spec)
        case .deleteTopic(let name): try deleteTopic(name)
        case .setLeader(let topic, let partition, let leader):
            try setLeader(topic: topic, partition: partition, leader: leader)
        case .setISR(let topic, let partition, let isr): try setISR(topic: topic, partition: partition, isr: isr)
        }
    }
}
