import ArgumentParser
import Foundation
import KafkaSim
import Logging

/// `kafka-sim`: a simulated Kafka cluster speaking the wire protocol.
@main
struct KafkaSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-sim", abstract: "A simulated Kafka cluster that speaks the wire protocol.",
        discussion: "Prints the bootstrap servers on the first line of stdout, then runs until SIGINT or SIGTERM.")

    @Option(help: "The number of brokers (ids 1…N).")
    var brokers: Int = 3

    @Option(help: "Topics as NAME:PARTITIONS:RF, comma-separated.")
    var topics: String = ""

    @Option(name: .customLong("control-address"), help: "HOST:PORT of the HTTP control API.")
    var controlAddress: String = "127.0.0.1:0"

    @Option(name: .customLong("replica-lag-time"), help: "replica.lag.time.max (e.g. 10s).")
    var replicaLagTime: String = "10s"

    @Option(name: .customLong("catch-up-delay"), help: "How long a started broker takes to rejoin ISRs.")
    var catchUpDelay: String = "2s"

    @Option(name: .customLong("preferred-leader-delay"), help: "How long after catching up preferred leaders return.")
    var preferredLeaderDelay: String = "1s"

    @Option(help: "A scenario file (scenarios/*.yml) to play.")
    var scenario: String?

    @Option(help: "Seed for replica assignment and topic ids (default: random).")
    var seed: UInt64?

    static func main() async {
        do {
            // `parse()`, not `parseAsRoot()`: for `--help` the latter returns ArgumentParser's
            // help command, which is not a KafkaSimCommand (a forced cast crashed there).
            let command = try parse()
            try await command.runSimulator()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data("kafka-sim: \(message(for: error))\n".utf8))
            Foundation.exit(2)
        }
    }
}
