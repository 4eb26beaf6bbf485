import Foundation
import PromQL
import TimeSeries

/// Runs promtool rule unit-test files with promtool 2.42's semantics and messages:
///
/// - input series are loaded at `interval` steps from time 0;
/// - every group is evaluated, in `group_eval_order`, at every `evaluation_interval` from 0 up
///   to the largest `eval_time` of the test group's alert and expression tests; a rule
///   evaluation error fails the test group at once;
/// - an alert test at `eval_time` t compares the *firing* alerts (labels and annotations) of
///   the evaluation at the largest step ≤ t;
/// - an expression test runs an instant query at `eval_time` after all evaluations and
///   compares labels and values exactly (order does not matter).
public struct RuleTestRunner: Sendable {
    /// The PromQL engine used for rules and expression tests.
    public let engine: Engine

    /// A runner using `engine` (default lookback of 5 minutes).
    public init(engine: Engine = Engine()) { self.engine = engine }

    /// The verdict of one test file and the messages of its failures.
    public struct Outcome: Sendable {
        /// The test file.
        public let file: String
        /// promtool-style messages of each failed check.
        public let failures: [String]
        /// Warnings printed whatever the verdict (rule-file patterns matching nothing).
        public var warnings: [String] = []
        /// Whether every check of the file passed.
        public var passed: Bool { failures.isEmpty }
    }

    /// Runs every file, prints as promtool does, and returns promtool's exit code:
    /// 0 when every file passes, 1 otherwise.
    public func runFiles(_ files: [String], stdout: (String) -> Void, stderr: (String) -> Void) -> Int32 {
        var failed = false
        for file in files {
            stdout("Unit Testing:  \(file)\n")
            let outcome = run(file: file)
            for warning in outcome.warnings { stderr("  WARNING: \(warning)\n") }
            if outcome.passed {
                stdout("  SUCCESS\n")
            } else {
                stderr("  FAILED:\n")
                for failure in outcome.failures {
                    stderr(failure + "\n")
                    stdout("\n")
                }
                failed = true
            }
            stdout("\n")
        }
        return failed ? 1 : 0
    }

    /// Runs one test file.
    public func run(file: String) -> Outcome {
        guard let data = FileManager.default.contents(atPath: file) else {
            return Outcome(file: file, failures: ["open \(file): no such file or directory"])
        }
        let testFile: RuleTestFile
        do {
            testFile = try RuleTestFile.parse(String(decoding: data, as: UTF8.self), file: file)
        } catch {
            return Outcome(file: file, failures: error.errors.map(\.description))
        }
        var seen = Set<String>()
        for name in testFile.groupEvalOrder where !seen.insert(name).inserted {
            return Outcome(file: file, failures: ["group name repeated in evaluation order: \(name)"])
        }
        let (ruleFiles, unmatched) = RuleFileGlob.resolve(testFile.ruleFiles, relativeTo: file)
        var failures: [String] = []
        for group in testFile.tests {
            var run = RuleTestGroupRun(group: group, file: testFile, ruleFiles: ruleFiles, engine: engine)
            failures += run.run()
        }
        return Outcome(file: file, failures: failures, warnings: unmatched.map { "no file match pattern \($0)" })
    }
}

/// promtool's handling of `rule_files`: relative to the test file's folder, every entry a
/// glob; an entry matching nothing is a warning, not an error.
enum RuleFileGlob {
    static func resolve(_ patterns: [String], relativeTo testFile: String) -> (files: [String], unmatched: [String]) {
        let folder = (testFile as NSString).deletingLastPathComponent
        var files: [String] = [], unmatched: [String] = []
        for pattern in patterns {
            let full = pattern.hasPrefix("/") || folder.isEmpty ? pattern : folder + "/" + pattern
            var matches = glob_t()
            defer { globfree(&matches) }
            guard glob(full, 0, nil, &matches) == 0, matches.gl_pathc > 0 else { unmatched.append(pattern); continue }
            for index in 0..<Int(matches.gl_pathc) {
                if let path = matches.gl_pathv[index] { files.append(String(cString: path)) }
            }
        }
        return (files, unmatched)
    }
}
