import Foundation
import TestSupport

/// Where the Alerts test files are: the conformance folder and the repository's rules/.
enum Fixtures {
    static let conformance = TestPaths.packageRoot.appendingPathComponent("Tests/AlertsTests/conformance")
    static let rulefmt = conformance.appendingPathComponent("rulefmt")
    static let rules = TestPaths.packageRoot.appendingPathComponent("rules")

    /// Files in `folder` whose names end with `suffix`, sorted.
    static func files(in folder: URL, endingWith suffix: String) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// Every promtool unit-test file: the conformance folder's and rules/'s.
    static var unitTestFiles: [URL] {
        files(in: conformance, endingWith: ".test.yml") + files(in: rules, endingWith: ".test.yml")
    }

    /// Every rule file whose verdict `check rules` must share with promtool.
    static var ruleFiles: [URL] {
        files(in: rulefmt, endingWith: ".yml") + files(in: rules, endingWith: ".rules.yml")
    }
}
