import Foundation
import Yams

/// A promtool rule unit-test file: `rule_files`, `evaluation_interval`, `group_eval_order`
/// and `tests`, read strictly (unknown fields are errors, as promtool's strict decoding).
public struct RuleTestFile: Sendable {
    /// Rule files, relative to the test file's folder, globs allowed.
    public var ruleFiles: [String] = []
    /// Milliseconds between rule evaluations (default one minute).
    public var evaluationInterval: Int64 = 60_000
    /// Group names in the order in which to evaluate them.
    public var groupEvalOrder: [String] = []
    public var tests: [RuleTestGroup] = []
}

/// One entry of `tests:`.
public struct RuleTestGroup: Sendable {
    public var name = ""
    /// The step of `input_series` values; nil means the evaluation interval.
    public var interval: Int64?
    public var inputSeries: [(series: String, values: String)] = []
    public var alertTests: [AlertTestCase] = []
    public var exprTests: [ExprTestCase] = []
    public var externalLabels: [String: String] = [:]
    public var externalURL = ""
}

/// `alert_rule_test:` entry: the firing alerts expected at a time.
public struct AlertTestCase: Sendable {
    public var evalTime: Int64 = 0
    public var alertname = ""
    public var expected: [(labels: [String: String], annotations: [String: String])] = []
}

/// `promql_expr_test:` entry: an expression's expected samples at a time.
public struct ExprTestCase: Sendable {
    public var expr = ""
    public var evalTime: Int64 = 0
    public var expected: [(labels: String, value: Double)] = []
}

extension RuleTestFile {
    /// Parses a test file; throws the messages of everything wrong in it.
    public static func parse(_ source: String, file: String) throws(RuleFileErrors) -> RuleTestFile {
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
