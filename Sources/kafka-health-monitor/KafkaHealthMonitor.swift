import ArgumentParser

/// The `kafka-health-monitor` command: `run`, `demo`, `check …`, `test rules …`.
@main
struct KafkaHealthMonitor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-health-monitor",
        abstract: "Watch a Kafka cluster's brokers, partitions and ISRs; evaluate alert rules; page.",
        subcommands: [RunCommand.self, DemoCommand.self, CheckCommand.self, TestCommand.self],
        defaultSubcommand: RunCommand.self)
}
