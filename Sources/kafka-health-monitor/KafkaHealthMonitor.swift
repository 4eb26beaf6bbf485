import ArgumentParser
import Foundation

/// The `kafka-health-monitor` command: `run`, `demo`, `check …`, `test rules …`.
@main
struct KafkaHealthMonitor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-health-monitor",
        abstract: "Watch a Kafka cluster's brokers, partitions and ISRs; evaluate alert rules; page.",
        subcommands: [RunCommand.self, DemoCommand.self, CheckCommand.self, TestCommand.self],
        defaultSubcommand: RunCommand.self)

    /// Parses and runs the command; bad flags exit 2 (DESIGN.md), not ArgumentParser's 64,
    /// with one line naming the problem.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                let line = "kafka-health-monitor: \(message(for: error)) (see --help)\n"
                FileHandle.standardError.write(Data(line.utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
