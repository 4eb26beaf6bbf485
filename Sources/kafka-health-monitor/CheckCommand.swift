import ArgumentParser

/// `kafka-health-monitor check config FILE | check rules FILE...` (promtool's exit codes).
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check configuration or rule files.",
        subcommands: [CheckConfigCommand.self, CheckRulesCommand.self])
}
