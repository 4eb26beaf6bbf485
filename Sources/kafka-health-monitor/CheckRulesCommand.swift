import ArgumentParser

/// `kafka-health-monitor check rules FILE...`.
struct CheckRulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "Check rule files.")

    @Argument(help: "Rule files.") var files: [String]

    func run() async throws {
        throw ValidationError("check rules: not built yet")
    }
}
