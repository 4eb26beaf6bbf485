import Foundation
import Testing
import TestSupport

/// `kafka-health-monitor check rules` and `test rules` as a user runs them: promtool's
/// output layout and exit codes.
@Suite struct CommandLineTests {
    static var executable: String { TestPaths.product("kafka-health-monitor").path }

    static func run(_ arguments: [String], in folder: URL = TestPaths.packageRoot) async throws -> CommandResult {
        try #require(FileManager.default.isExecutableFile(atPath: executable), "build kafka-health-monitor first")
        return try await Command.run(executable, arguments, currentDirectory: folder, timeout: 60)
    }

    @Test func checkRulesPassesTheShippedRules() async throws {
        let result = try await Self.run(["check", "rules", "rules/kafka-ha.rules.yml"])
        #expect(result.status == 0)
        #expect(result.stdout == "Checking rules/kafka-ha.rules.yml\n  SUCCESS: 7 rules found\n\n")
    }

    @Test func checkRulesListsEveryErrorAndExitsOne() async throws {
        let file = "Tests/AlertsTests/conformance/rulefmt/structure.bad.yml"
        let result = try await Self.run(["check", "rules", "rules/kafka-ha.rules.yml", file])
        #expect(result.status == 1)
        #expect(result.stdout.contains("Checking \(file)\n"))
        #expect(result.stderr.hasPrefix("  FAILED:\n\(file):2:5: Groupname must not be empty\n"))
        #expect(result.stderr.split(separator: "\n").count == 7)
    }

    @Test func testRulesPassesTheShippedTestsLikePromtool() async throws {
        let result = try await Self.run(["test", "rules", "kafka-ha.test.yml"], in: TestPaths.packageRoot.appendingPathComponent("rules"))
        #expect(result.status == 0)
        #expect(result.stdout == "Unit Testing:  kafka-ha.test.yml\n  SUCCESS\n\n")
        if let promtool = Command.which("promtool") {
            let oracle = try await Command.run(promtool, ["test", "rules", "kafka-ha.test.yml"],
                                         currentDirectory: TestPaths.packageRoot.appendingPathComponent("rules"))
            #expect(result.stdout == oracle.stdout)
        }
    }

    @Test func testRulesShowsADiffAndExitsOne() async throws {
        let result = try await Self.run(["test", "rules", "expected-value-mismatch.test.yml"], in: Fixtures.conformance)
        #expect(result.status == 1)
        #expect(result.stderr == """
              FAILED:
                expr: "temp{room=\\"a\\"}", time: 2m,
                    exp: {__name__="temp", room="a"} 2.4E+01
                    got: {__name__="temp", room="a"} 2.3E+01

            """)
    }
}
