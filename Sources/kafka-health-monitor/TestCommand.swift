import Alerts
import ArgumentParser
import Foundation

/// `kafka-health-monitor test rules FILE...`: promtool's rule unit-test format and exit codes.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Unit-test rules.", subcommands: [TestRulesCommand.self])
}

/// `kafka-health-monitor test rules FILE...`: runs promtool rule unit-test files with the
/// same output and exit codes as `promtool test rules` (0 when all pass, 1 otherwise).
struct TestRulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "Run rule unit tests.")

    @Argument(help: "Rule unit-test files.") var files: [String]

    func run() async throws {
        let status = RuleTestRunner().runFiles(
            files,
            stdout: { FileHandle.standardOutput.write(Data($0.utf8)) },
            stderr: { FileHandle.standardError.write(Data($0.utf8)) })
        if status != 0 { throw ExitCode(status) }
    }
}
