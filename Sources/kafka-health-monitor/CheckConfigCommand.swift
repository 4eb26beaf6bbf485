import ArgumentParser

/// `kafka-health-monitor check config FILE`.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Check a config file.")

    @Argument(help: "The config file.") var file: String

    func run() async throws {
        throw ValidationError("check config: not built yet")
    }
}
