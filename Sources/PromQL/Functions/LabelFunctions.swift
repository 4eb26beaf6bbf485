import TimeSeries

/// `label_replace` and `label_join`.
enum LabelFunctions {
    static func replace(_ vector: [VectorElement], destination: String, replacement: String,
                        source: String, pattern: String) throws(EvalError) -> [VectorElement] {
        let regex: Regex<AnyRegexOutput>
        if RE2Syntax.unsupported(pattern) != nil {
            throw EvalError("invalid regular expression in label_replace(): \(pattern)")
        }
        do {
            regex = try Regex("^(?:" + pattern + ")$")
        } catch {
            throw EvalError("invalid regular expression in label_replace(): \(pattern)")
        }
        guard Evaluator.isValidLabelName(destination) else {
            throw EvalError("invalid destination label name in label_replace(): \(destination)")
        }
        return vector.map { element in
            let value = element.labels[source] ?? ""
            guard let match = try? regex.wholeMatch(in: value) else { return element }
            var out = element
            out.labels = element.labels.setting(destination, to: expand(replacement, match))
            return out
        }
    }

    static func join(_ vector: [VectorElement], destination: String, separator: String,
                     sources: [String]) throws(EvalError) -> [VectorElement] {
        for source in sources where !Evaluator.isValidLabelName(source) {
            throw EvalError("invalid source label name in label_join(): \(source)")
        }
        guard Evaluator.isValidLabelName(destination) else {
            throw EvalError("invalid destination label name in label_join(): \(destination)")
        }
        return vector.map { element in
            var out = element
            let joined = sources.map { element.labels[$0] ?? "" }.joined(separator: separator)
            out.labels = element.labels.setting(destination, to: joined)
            return out
        }
    }

    /// Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`; `$1x` names group
    /// "1x" (empty), and a malformed `$` stays literal.
    static func expand(_ template: String, _ match: Regex<AnyRegexOutput>.Match) -> String {
        var out = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                out += "$"
                rest = rest.dropFirst()
                continue
            }
            guard let (name, remainder) = reference(rest) else {
                out += "$"
                continue
            }
            rest = remainder
            out += group(name, match)
        }
        return out + rest
    }

    private static func reference(_ text: Substring) -> (Substring, Substring)? {
        var body = text
        let braced = body.first == "{"
        if braced { body = body.dropFirst() }
        let name = body.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        if name.isEmpty { return nil }
        var rest = body[name.endIndex...]
        if braced {
            guard rest.first == "}" else { return nil }
            rest = rest.dropFirst()
        }
        return (name, rest)
    }

    private static func group(_ name: Substring, _ match: Regex<AnyRegexOutput>.Match) -> String {
        let isNumber = name.allSatisfy { $0.isASCII && $0.isNumber } && !(name.first == "0" && name.count > 1) && name.count < 9
        if isNumber, let number = Int(name) {
            guard number < match.output.count else { return "" }
            return match.output[number].substring.map(String.init) ?? ""
        }
        if isNumber { return "" }
        return match.output[String(name)]?.substring.map(String.init) ?? ""
    }
}
