import Foundation
import Yams

/// A promtool rule unit-test file: `rule_files`, `evaluation_interval`, `group_eval_order`
/// and `tests`, read strictly (unknown fields are errors, as promtool's strict decoding).
struct RuleTestFile: Sendable {
    /// Rule files, relative to the test file's folder, globs allowed.
    var ruleFiles: [String] = []
    /// Milliseconds between rule evaluations (default one minute).
    var evaluationInterval: Int64 = 60_000
    /// Group names in the order in which to evaluate them.
    var groupEvalOrder: [String] = []
    var tests: [RuleTestGroup] = []
}

/// One entry of `tests:`.
struct RuleTestGroup: Sendable {
    var name = ""
    /// The step of `input_series` values; nil means the evaluation interval.
    var interval: Int64?
    var inputSeries: [(series: String, values: String)] = []
    var alertTests: [AlertTestCase] = []
    var exprTests: [ExprTestCase] = []
    var externalLabels: [String: String] = [:]
    var externalURL = ""
}

/// `alert_rule_test:` entry: the firing alerts expected at a time.
struct AlertTestCase: Sendable {
    var evalTime: Int64 = 0
    var alertname = ""
    var expected: [(labels: [String: String], annotations: [String: String])] = []
}

/// `promql_expr_test:` entry: an expression's expected samples at a time.
struct ExprTestCase: Sendable {
    var expr = ""
    var evalTime: Int64 = 0
    var expected: [(labels: String, value: Double)] = []
}

extension RuleTestFile {
    /// Parses a test file; throws the messages of everything wrong in it.
    static func parse(_ source: String, file: String) throws(RuleFileErrors) -> RuleTestFile {
        var reader = TestFileReader(file: file)
        let root: Node?
        do { root = try Yams.compose(yaml: source) } catch {
            throw RuleFileErrors([RuleFileError(file: file, position: YAMLErrorPosition.of(error), message: YAMLErrorPosition.message(of: error))])
        }
        var result = RuleTestFile()
        if let root { reader.file(root, into: &result) }
        if !reader.errors.isEmpty { throw RuleFileErrors(reader.errors) }
        return result
    }
}
