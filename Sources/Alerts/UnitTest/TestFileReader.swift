import Yams

/// Reads the nodes of a rule unit-test file into `RuleTestFile`, collecting positioned errors.
struct TestFileReader {
    let file: String
    var errors: [RuleFileError] = []

    mutating func report(_ position: SourcePosition, _ message: String) {
        errors.append(RuleFileError(file: file, position: position, message: message))
    }

    mutating func file(_ root: Node, into result: inout RuleTestFile) {
        guard let fields = fields(root, ["rule_files", "evaluation_interval", "group_eval_order", "tests"], "test file") else { return }
        result.ruleFiles = strings(fields["rule_files"])
        result.groupEvalOrder = strings(fields["group_eval_order"])
        if let interval = duration(fields["evaluation_interval"]), interval > 0 { result.evaluationInterval = interval }
        for node in sequence(fields["tests"]) { result.tests.append(group(node)) }
    }

    private mutating func group(_ node: Node) -> RuleTestGroup {
        var group = RuleTestGroup()
        guard let f = fields(node, ["name", "interval", "input_series", "alert_rule_test", "promql_expr_test",
                                    "external_labels", "external_url"], "test group") else { return group }
        group.name = string(f["name"])
        group.interval = duration(f["interval"]).flatMap { $0 > 0 ? $0 : nil }
        group.externalLabels = stringMap(f["external_labels"])
        group.externalURL = string(f["external_url"])
        for series in sequence(f["input_series"]) {
            guard let s = fields(series, ["series", "values"], "input series") else { continue }
            group.inputSeries.append((string(s["series"]), string(s["values"])))
        }
        for test in sequence(f["alert_rule_test"]) {
            guard let t = fields(test, ["eval_time", "alertname", "exp_alerts"], "alert test") else { continue }
            var testCase = AlertTestCase(evalTime: duration(t["eval_time"]) ?? 0, alertname: string(t["alertname"]))
            for alert in sequence(t["exp_alerts"]) {
                guard let a = fields(alert, ["exp_labels", "exp_annotations"], "expected alert") else { continue }
                testCase.expected.append((stringMap(a["exp_labels"]), stringMap(a["exp_annotations"])))
            }
            group.alertTests.append(testCase)
        }
        for test in sequence(f["promql_expr_test"]) {
            guard let t = fields(test, ["expr", "eval_time", "exp_samples"], "expression test") else { continue }
            var testCase = ExprTestCase(expr: string(t["expr"]), evalTime: duration(t["eval_time"]) ?? 0)
            for sample in sequence(t["exp_samples"]) {
                guard let s = fields(sample, ["labels", "value"], "expected sample") else { continue }
                testCase.expected.append((string(s["labels"]), number(s["value"])))
            }
            group.exprTests.append(testCase)
        }
        return group
    }

    private mutating func fields(_ node: Node, _ known: Set<String>, _ what: String) -> YAMLFields? {
        YAMLFields(node, known: known, what: what) { report($0, $1) }
    }

    private mutating func sequence(_ node: Node?) -> [Node] {
        guard let node, !isNull(node) else { return [] }
        guard let sequence = node.sequence else {
            report(node.position, "expected a sequence, not \(node.kindName)")
            return []
        }
        return Array(sequence)
    }

    private mutating func string(_ node: Node?) -> String {
        guard let node, !isNull(node) else { return "" }
        guard let scalar = node.scalar else {
            report(node.position, "expected a string, not \(node.kindName)")
            return ""
        }
        return scalar.string
    }

    private mutating func strings(_ node: Node?) -> [String] { sequence(node).map { string($0) } }

    private mutating func stringMap(_ node: Node?) -> [String: String] {
        guard let node, !isNull(node) else { return [:] }
        guard let mapping = node.mapping else {
            report(node.position, "expected a mapping, not \(node.kindName)")
            return [:]
        }
        var map: [String: String] = [:]
        for (key, value) in mapping { map[string(key)] = string(value) }
        return map
    }

    private mutating func duration(_ node: Node?) -> Int64? {
        guard let node, !isNull(node) else { return nil }
        let text = string(node)
        switch PromDuration.parse(text) {
        case .success(let value): return value
        case .failure(let error):
            report(node.position, "\(error)")
            return nil
        }
    }

    private mutating func number(_ node: Node?) -> Double {
        guard let node, !isNull(node) else { return 0 }
        let text = string(node)
        switch text.lowercased() {
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        case ".nan": return .nan
        default:
            if let value = Double(text.replacingOccurrences(of: "_", with: "")) { return value }
            report(node.position, "cannot unmarshal \"\(text)\" into a float")
            return 0
        }
    }

    private func isNull(_ node: Node) -> Bool { node.isNull }
}
