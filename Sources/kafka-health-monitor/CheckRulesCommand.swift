import Alerts
import ArgumentParser
import Foundation

/// `kafka-health-monitor check rules FILE...`: validates rule files as `promtool check rules`
/// does, printing `Checking FILE` and `  SUCCESS: N rules found` or `  FAILED:` followed by
/// every error as `file:line:col: message`. Exits 1 when any file has errors.
struct CheckRulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "Check rule files.")

    @Argument(help: "Rule files.") var files: [String]

    func run() async throws {
        var failed = false
        for file in files {
            print("Checking \(file)")
            switch RuleFileLoader.load(path: file) {
            case .success(let ruleFile):
                print("  SUCCESS: \(ruleFile.groups.reduce(0) { $0 + $1.rules.count }) rules found")
            case .failure(let errors):
                failed = true
                FileHandle.standardError.write(Data(("  FAILED:\n" + errors.description + "\n").utf8))
            }
            print("")
        }
        if failed { throw ExitCode(1) }
    }
}
