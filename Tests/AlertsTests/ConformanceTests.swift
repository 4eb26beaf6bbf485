import Foundation
import Testing
import TestSupport
@testable import Alerts

/// Our `test rules` and `check rules` give promtool 2.42's verdict (its exit code) for every
/// unit-test file in the conformance folder and rules/, and every rule-file fixture.
/// promtool is the oracle; without it these tests say so and check nothing.
@Suite struct ConformanceTests {
    static let promtool = Command.which("promtool")

    @Test(arguments: Fixtures.unitTestFiles)
    func unitTestVerdictMatchesPromtool(_ file: URL) async throws {
        guard let promtool = Self.promtool else {
            print("SKIPPED: promtool not installed; conformance of \(file.lastPathComponent) not checked")
            return
        }
        let oracle = try await Command.run(promtool, ["test", "rules", file.lastPathComponent],
                                     currentDirectory: file.deletingLastPathComponent(), timeout: 60)
        let ours = RuleTestRunner().run(file: file.path)
        #expect(ours.passed == (oracle.status == 0),
                "promtool exit \(oracle.status); ours \(ours.passed ? 0 : 1): \(ours.failures.joined(separator: "\n"))\npromtool: \(oracle.stderr)")
    }

    @Test(arguments: Fixtures.ruleFiles)
    func checkRulesVerdictMatchesPromtool(_ file: URL) async throws {
        guard let promtool = Self.promtool else {
            print("SKIPPED: promtool not installed; check rules of \(file.lastPathComponent) not compared")
            return
        }
        let oracle = try await Command.run(promtool, ["check", "rules", file.path], timeout: 60)
        let ours = RuleFileLoader.load(path: file.path)
        let oursPassed: Bool
        if case .success = ours { oursPassed = true } else { oursPassed = false }
        #expect(oursPassed == (oracle.status == 0), "promtool: \(oracle.stdout)\(oracle.stderr)")
    }

    @Test func theConformanceSuiteIsLargeAndHasFailingFiles() {
        let files = Fixtures.files(in: Fixtures.conformance, endingWith: ".test.yml")
        #expect(files.count >= 40)
        // Files that must fail (under promtool too, per the test above) make equal verdicts meaningful.
        let failing = files.filter { !RuleTestRunner().run(file: $0.path).passed }
        #expect(failing.count >= 5)
    }
}
