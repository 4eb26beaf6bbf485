/// A control request the simulated cluster refuses (unknown broker or topic, invalid replica
/// set, …). Controls never trap on bad input: they throw this, and the HTTP API answers 4xx.
public struct SimulatorError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Which kind of refusal, so the HTTP API can pick 404 versus 400 or 409.
    public enum Kind: Sendable, Equatable {
        /// No such broker, topic, partition or route (HTTP 404).
        case notFound
        /// The request is malformed or violates a rule (HTTP 400).
        case invalid
        /// The request clashes with the current state (HTTP 409).
        case conflict
    }

    /// The kind of refusal.
    public let kind: Kind
    /// A one-line explanation for the user.
    public let description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    static func unknownBroker(_ id: Int32) -> SimulatorError { SimulatorError(.notFound, "no broker with id \(id)") }
    static func unknownTopic(_ name: String) -> SimulatorError { SimulatorError(.notFound, "no topic named \"\(name)\"") }
    static func unknownPartition(_ topic: String, _ partition: Int32) -> SimulatorError {
        SimulatorError(.notFound, "topic \"\(topic)\" has no partition \(partition)")
    }
}
