import PromQL
import Yams

extension RuleFileLoader.Context {
    private static let ruleFields: Set<String> = ["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"]

    /// Reads and validates one rule; nil when it is too broken to build (errors are reported).
    mutating func rule(_ node: Node, group: String, index: Int) -> RuleDefinition? {
        guard let fields = YAMLFields(node, known: Self.ruleFields, what: "rule", report: { report($0, $1) }) else { return nil }
        let errorCount = errors.count
        let alert = fields.rawString("alert") { report($0, $1) }
        let record = fields.rawString("record") { report($0, $1) }
        let name = (alert?.text).flatMap { $0.isEmpty ? nil : $0 } ?? record?.text ?? ""
        let prefix = "group \"\(group)\", rule \(index), \"\(name)\": "
        var fail: (SourcePosition, String) -> Void = { _, _ in }
        var local: [(SourcePosition, String)] = []
        fail = { local.append(($0, prefix + $1)) }

        let isAlert = !(alert?.text.isEmpty ?? true), isRecord = !(record?.text.isEmpty ?? true)
        if isAlert && isRecord { fail(record!.node.position, "only one of 'record' and 'alert' must be set") }
        if !isAlert && !isRecord { fail(fields.position, "one of 'record' or 'alert' must be set") }
        if isRecord, let record, !Self.isValidMetricName(record.text) {
            fail(record.node.position, "invalid recording rule name: \(record.text)")
        }

        var expr: Expr?
        let exprField = fields.rawString("expr") { report($0, $1) }
        if let exprField, !exprField.text.isEmpty {
            do {
                // Trailing blank lines of a block scalar would put "end of input" below the text.
                var trimmed = Substring(exprField.text)
                while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
                expr = try PromQLParser.parse(String(trimmed))
            } catch {
                let at = ScalarPositions(node: exprField.node, sourceLines: sourceLines)
                    .filePosition(of: SourcePosition(line: error.line, column: error.column))
                fail(at, "could not parse expression: \(error.message)")
            }
        } else {
            fail(exprField?.node.position ?? fields.position, "field 'expr' must be set in rule")
        }

        let forDuration = durationField(fields, "for", fail)
        let keepFiringFor = durationField(fields, "keep_firing_for", fail)
        let labels = fields.stringMap("labels") { report($0, $1) }
        let annotations = fields.stringMap("annotations") { report($0, $1) }
        if isRecord {
            if let node = fields["annotations"], !annotations.isEmpty { fail(node.position, "invalid field 'annotations' in recording rule") }
            if let node = fields["for"], forDuration != 0 { fail(node.position, "invalid field 'for' in recording rule") }
            if let node = fields["keep_firing_for"], keepFiringFor != 0 {
                fail(node.position, "invalid field 'keep_firing_for' in recording rule")
            }
        }
        for label in labels {
            if !Self.isValidLabelName(label.key) || label.key == "__name__" {
                fail(label.keyNode.position, "invalid label name: \(label.key)")
            }
        }
        for annotation in annotations where !Self.isValidLabelName(annotation.key) {
            fail(annotation.keyNode.position, "invalid annotation name: \(annotation.key)")
        }
        if isAlert {
            for entry in labels + annotations {
                checkTemplate(entry.value, node: entry.valueNode, fail)
            }
        }
        for (position, message) in local { report(position, message) }
        guard errors.count == errorCount, let expr, let exprField else { return nil }
        return RuleDefinition(
            kind: isAlert ? .alert(name) : .record(name), expr: expr, exprText: exprField.text,
            forDuration: forDuration, keepFiringFor: keepFiringFor,
            labels: Dictionary(labels.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }),
            annotations: Dictionary(annotations.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }),
            position: fields.position)
    }

    private mutating func durationField(_ fields: YAMLFields, _ name: String, _ fail: (SourcePosition, String) -> Void) -> Int64 {
        guard let (text, node) = fields.string(name, report: { report($0, $1) }), !node.isNull else { return 0 }
        switch PromDuration.parse(text) {
        case .success(let value): return value
        case .failure(let error):
            fail(node.position, "field \(name): \(error)")
            return 0
        }
    }

    private func checkTemplate(_ text: String, node: Node, _ fail: (SourcePosition, String) -> Void) {
        do {
            _ = try Template.parse(text)
        } catch {
            let at = ScalarPositions(node: node, sourceLines: sourceLines).filePosition(of: error.position)
            fail(at, "template: \(error.message)")
        }
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, Prometheus's label names.
    static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetterOrUnderscore else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetterOrUnderscore || ("0"..."9").contains($0) }
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`, Prometheus's metric names.
    static func isValidMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetterOrUnderscore || first == ":" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetterOrUnderscore || $0 == ":" || ("0"..."9").contains($0) }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetterOrUnderscore: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "_"
    }
}
