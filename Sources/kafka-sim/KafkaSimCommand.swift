import ArgumentParser

/// `kafka-sim`: a simulated Kafka cluster speaking the wire protocol.
@main
struct KafkaSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-sim", abstract: "A simulated Kafka cluster that speaks the wire protocol.")

    func run() async throws {
        throw ValidationError("kafka-sim: not built yet")
    }
}
