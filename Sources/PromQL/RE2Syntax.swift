/// Refuses the regular-expression constructs that Go's RE2 syntax (and so Prometheus)
/// rejects but Swift's `Regex` would accept: lookaround, atomic groups, `(?<name>` (Go 1.19
/// knows only `(?P<name>`), backreferences and nested repetition such as `a++`.
enum RE2Syntax {
    /// Go's error text for the first unsupported construct, or nil.
    static func unsupported(_ pattern: String) -> String? {
        let scalars = Array(pattern.unicodeScalars)
        var i = 0
        var inClass = false
        var afterRepetition = false   // the previous token was `*`, `+`, `?` or `{n,m}`
        var lazyApplied = false
        var repetitionStart = 0       // where the previous repetition operator began
        while i < scalars.count {
            let c = scalars[i]
            if c == "\\" {
                if !inClass, i + 1 < scalars.count, ("1"..."9").contains(scalars[i + 1]) {
                    return "invalid escape sequence: `\\\(scalars[i + 1])`"
                }
                i += 2
                afterRepetition = false
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
                i += 1
                continue
            }
            switch c {
            case "[":
                inClass = true
                if i + 1 < scalars.count, scalars[i + 1] == "]" { i += 1 }       // `[]]`
                if i + 2 < scalars.count, scalars[i + 1] == "^", scalars[i + 2] == "]" { i += 2 }
                afterRepetition = false
            case "(":
                if let perl = perlGroup(scalars, at: i) { return "invalid or unsupported Perl syntax: `\(perl)`" }
                afterRepetition = false
            case "*", "+", "?", "{":
                let length = c == "{" ? braceRepetition(scalars, at: i) : 1
                if length == 0 {   // a literal `{`
                    afterRepetition = false
                    break
                }
                if afterRepetition {
                    if c == "?" && !lazyApplied {
                        lazyApplied = true
                        break
                    }
                    let operatorText = String(String.UnicodeScalarView(scalars[repetitionStart..<(i + length)]))
                    return "invalid nested repetition operator: `\(operatorText)`"
                }
                afterRepetition = true
                lazyApplied = false
                repetitionStart = i
                i += length - 1
            default:
                afterRepetition = false
            }
            i += 1
        }
        return nil
    }

    /// `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>`, `(?>`: the text Go reports.
    private static func perlGroup(_ s: [Unicode.Scalar], at i: Int) -> String? {
        guard i + 2 < s.count, s[i + 1] == "?" else { return nil }
        switch s[i + 2] {
        case "=", "!", ">": return "(?" + String(Character(s[i + 2]))
        case "<": return "(?<"
        default: return nil
        }
    }

    /// The length of a `{n}`, `{n,}` or `{n,m}` repetition at `i`, or 0 if `{` is literal.
    private static func braceRepetition(_ s: [Unicode.Scalar], at i: Int) -> Int {
        var j = i + 1
        var digits = 0
        while j < s.count, ("0"..."9").contains(s[j]) { j += 1; digits += 1 }
        guard digits > 0, j < s.count else { return 0 }
        if s[j] == "," {
            j += 1
            while j < s.count, ("0"..."9").contains(s[j]) { j += 1 }
        }
        guard j < s.count, s[j] == "}" else { return 0 }
        return j - i + 1
    }
}
