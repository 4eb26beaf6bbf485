import ArgumentParser

/// `kafka-health-monitor test rules FILE...`: promtool's rule unit-test format and exit codes.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Unit-test rules.", subcommands: [TestRulesCommand.self])
}

/// `kafka-health-monitor test rules FILE...`.
struct TestRulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "Run rule unit tests.")

    @Argument(help: "Rule unit-test files.") var files: [String]

    func run() async throws {
        throw ValidationError("test rules: not built yet")
    }
}
