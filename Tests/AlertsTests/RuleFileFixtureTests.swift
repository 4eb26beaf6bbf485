import Foundation
import Testing
@testable import Alerts

/// `*.good.yml` fixtures load; `*.bad.yml` fixtures fail with exactly the errors listed in
/// their trailing `# expect: line:col: message` comments, in order.
@Suite struct RuleFileFixtureTests {
    @Test(arguments: Fixtures.files(in: Fixtures.rulefmt, endingWith: ".good.yml"))
    func goodFixtureLoads(_ file: URL) {
        let result = RuleFileLoader.load(path: file.path)
        if case .failure(let errors) = result { Issue.record("\(file.lastPathComponent): \(errors)") }
    }

    @Test(arguments: Fixtures.files(in: Fixtures.rulefmt, endingWith: ".bad.yml"))
    func badFixtureReportsEveryErrorWithItsPosition(_ file: URL) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        let expected = text.split(separator: "\n").filter { $0.hasPrefix("# expect: ") }
            .map { "\(file.path):" + $0.dropFirst("# expect: ".count) }
        #expect(!expected.isEmpty, "a bad fixture lists the errors it expects")
        guard case .failure(let errors) = RuleFileLoader.load(path: file.path) else {
            Issue.record("\(file.lastPathComponent) loaded, but it is a bad fixture")
            return
        }
        #expect(errors.errors.map(\.description) == expected)
    }

    @Test func anUnreadableFileIsAnErrorWithoutPosition() {
        guard case .failure(let errors) = RuleFileLoader.load(path: "/nonexistent/rules.yml") else {
            Issue.record("loaded a file that does not exist")
            return
        }
        #expect(errors.description == "/nonexistent/rules.yml: cannot read file")
    }

    @Test func theShippedRulesLoadWithTheirSevenAlerts() throws {
        let file = try RuleFileLoader.load(path: Fixtures.rules.appendingPathComponent("kafka-ha.rules.yml").path).get()
        let names = file.groups.flatMap(\.rules).map(\.name)
        #expect(names == ["KafkaClusterUnreachable", "KafkaBrokerOffline", "KafkaClusterDegraded",
                          "KafkaUnderReplicatedPartitions", "KafkaOfflinePartitions", "KafkaUnderMinIsr",
                          "KafkaIsrShrinkRateHigh"])
        #expect(file.groups.flatMap(\.rules).allSatisfy { $0.labels["severity"] != nil && $0.annotations["runbook"] != nil })
    }
}
