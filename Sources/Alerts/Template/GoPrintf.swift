import Foundation

/// Go's `fmt.Sprintf` for the verbs templates use: `%v %s %d %f %g %e %q %x %%`, with flags
/// `- + 0` and width and precision, and Go's `%!verb(type=value)` for mismatched arguments.
enum GoPrintf {
    static func format(_ format: String, _ arguments: [TemplateValue]) -> String {
        var out = ""
        var next = 0
        var scalars = format.unicodeScalars[...]
        while let c = scalars.popFirst() {
            guard c == "%" else { out.unicodeScalars.append(c); continue }
            var flags = Set<Unicode.Scalar>()
            while let flag = scalars.first, "-+ 0#".unicodeScalars.contains(flag) { flags.insert(flag); scalars.removeFirst() }
            let width = Int(String(String.UnicodeScalarView(scalars.prefix { ("0"..."9").contains($0) })))
            scalars = scalars.drop { ("0"..."9").contains($0) }
            var precision: Int?
            if scalars.first == "." {
                scalars.removeFirst()
                precision = Int(String(String.UnicodeScalarView(scalars.prefix { ("0"..."9").contains($0) }))) ?? 0
                scalars = scalars.drop { ("0"..."9").contains($0) }
            }
            guard let verb = scalars.popFirst() else { out += "%!(NOVERB)"; break }
            // A template must not make an alert allocate gigabytes: Go's own limit is 1e6.
            if (width ?? 0) > 1_000_000 || (precision ?? 0) > 1_000_000 { out += "%!(BADWIDTH)"; next += 1; continue }
            if verb == "%" { out += "%"; continue }
            guard next < arguments.count else { out += "%!\(verb)(MISSING)"; continue }
            let argument = arguments[next]
            next += 1
            let text = render(argument, verb: verb, precision: precision, plus: flags.contains("+"))
            out += pad(text, width: width, left: flags.contains("-"), zero: flags.contains("0") && !flags.contains("-"))
        }
        if next < arguments.count {
            out += "%!(EXTRA " + arguments[next...].map { "\($0.typeName)=\(GoFormat.print($0))" }.joined(separator: ", ") + ")"
        }
        return out
    }

    private static func render(_ value: TemplateValue, verb: Unicode.Scalar, precision: Int?, plus: Bool) -> String {
        let bad = "%!\(verb)(\(value.typeName)=\(GoFormat.print(value)))"
        switch (verb, value) {
        case ("v", .float(let f)), ("g", .float(let f)): return sign(GoFormat.g(f, precision: precision), f, plus)
        case ("G", .float(let f)): return sign(GoFormat.g(f, precision: precision, upper: true), f, plus)
        case ("E", .float(let f)):
            let text = GoFormat.exponential(f, decimals: precision ?? 6)
            return sign(f.isFinite ? text.uppercased() : text, f, plus)
        case ("v", _): return GoFormat.print(value)
        case ("s", .string(let s)): return precision.map { String(s.prefix($0)) } ?? s
        case ("q", .string(let s)): return "\"" + Labels_escape(s) + "\""
        case ("d", .int(let i)): return plus && i >= 0 ? "+\(i)" : String(i)
        case ("x", .int(let i)): return String(i, radix: 16)
        case ("x", .string(let s)): return s.utf8.map { String(format: "%02x", $0) }.joined()
        case ("f", .float(let f)), ("F", .float(let f)): return sign(GoFormat.fixed(f, decimals: precision ?? 6), f, plus)
        case ("e", .float(let f)): return sign(GoFormat.exponential(f, decimals: precision ?? 6), f, plus)
        case ("t", .bool(let b)): return b ? "true" : "false"
        default: return bad
        }
    }

    private static func sign(_ text: String, _ value: Double, _ plus: Bool) -> String {
        plus && !(value < 0) && !text.hasPrefix("+") ? "+" + text : text
    }

    private static func pad(_ text: String, width: Int?, left: Bool, zero: Bool) -> String {
        guard let width, text.count < width else { return text }
        let fill = String(repeating: zero ? "0" : " ", count: width - text.count)
        if left { return text + fill }
        if zero, let first = text.first, first == "-" || first == "+" { return String(first) + fill + text.dropFirst() }
        return fill + text
    }

    /// Go's `%q` escaping for the common characters.
    private static func Labels_escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
    }
}
