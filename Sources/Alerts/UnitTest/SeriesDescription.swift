import TimeSeries

/// Parses a series description as promtool's `input_series.series` and `exp_samples.labels`
/// (PromQL's `ParseMetric`): `name`, `name{a="1", b='2'}`, `{__name__="name", a="1"}`, or
/// the empty string for no labels.
public enum SeriesDescription {
    /// Parses `text` into labels; throws a positioned error.
    public static func parse(_ text: String) throws(SeriesDescriptionError) -> Labels {
        var scalars = Array(text.unicodeScalars)[...]
        func fail(_ message: String) -> SeriesDescriptionError {
            SeriesDescriptionError(text: text, column: text.unicodeScalars.count - scalars.count + 1, message: message)
        }
        func skipSpace() { while let c = scalars.first, c == " " || c == "\t" || c == "\n" { scalars.removeFirst() } }
        func identifier(allowColon: Bool) -> String {
            var out = ""
            while let c = scalars.first, isWord(c) || (allowColon && c == ":") || (!out.isEmpty && ("0"..."9").contains(c)) {
                out.unicodeScalars.append(c)
                scalars.removeFirst()
            }
            return out
        }
        var pairs: [(String, String)] = []
        skipSpace()
        let name = identifier(allowColon: true)
        if !name.isEmpty { pairs.append((Labels.metricName, name)) }
        skipSpace()
        if scalars.first == "{" {
            scalars.removeFirst()
            while true {
                skipSpace()
                if scalars.first == "}" { scalars.removeFirst(); break }
                let label = identifier(allowColon: false)
                guard !label.isEmpty else { throw fail("unexpected character in label matching: expected label name") }
                skipSpace()
                guard scalars.first == "=" else { throw fail("unexpected character after label name, expected \"=\"") }
                scalars.removeFirst()
                skipSpace()
                guard let quote = scalars.first, quote == "\"" || quote == "'" || quote == "`" else {
                    throw fail("expected a quoted label value")
                }
                scalars.removeFirst()
                var value = ""
                while true {
                    guard let c = scalars.popFirst() else { throw fail("unterminated quoted string") }
                    if c == quote { break }
                    if c == "\\" && quote != "`", let escaped = scalars.popFirst() {
                        switch escaped {
                        case "n": value += "\n"
                        case "t": value += "\t"
                        default: value.unicodeScalars.append(escaped)
                        }
                        continue
                    }
                    value.unicodeScalars.append(c)
                }
                pairs.append((label, value))
                skipSpace()
                if scalars.first == "," { scalars.removeFirst(); continue }
                guard scalars.first == "}" else { throw fail("expected \",\" or \"}\" in label set") }
            }
        }
        skipSpace()
        guard scalars.isEmpty else { throw fail("unexpected characters after series description") }
        return Labels(pairs)
    }

    private static func isWord(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_"
    }
}

/// A series description that does not parse.
public struct SeriesDescriptionError: Error, Sendable, CustomStringConvertible {
    /// The description.
    public let text: String
    /// Where in it the problem is (1-based).
    public let column: Int
    /// What is wrong.
    public let message: String
    public var description: String { "1:\(column): parse error: \(message) in \"\(text)\"" }
}
