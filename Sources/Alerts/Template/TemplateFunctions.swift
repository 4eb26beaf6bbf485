import Foundation

/// A template function that failed; becomes `error calling NAME: message`.
struct TemplateFunctionError: Error {
    let message: String
}

/// The functions of Prometheus's template function map that rule files use, with
/// Prometheus's exact output, plus Go's built-ins (`eq`, `printf`, `index`, …).
enum TemplateFunctions {
    typealias Function = @Sendable ([TemplateValue]) throws(TemplateFunctionError) -> TemplateValue

    /// Every function a template may call.
    static var names: Set<String> { Set(table.keys) }

    /// Prometheus functions that exist there but are not offered here (queries, links).
    static let unsupported: Set<String> = [
        "query", "first", "label", "value", "strvalue", "sortByLabel", "graphLink", "tableLink",
        "pathPrefix", "externalURL", "args", "tmpl", "parseDuration", "call", "slice", "html", "js", "urlquery",
    ]

    static func call(_ name: String, _ arguments: [TemplateValue]) throws(TemplateFunctionError) -> TemplateValue {
        guard let function = table[name] else { throw TemplateFunctionError(message: "function \"\(name)\" not defined") }
        return try function(arguments)
    }

    private static let table: [String: Function] = [
        "humanize": { args throws(TemplateFunctionError) in .string(Humanize.humanize(try float(one(args)))) },
        "humanize1024": { args throws(TemplateFunctionError) in .string(Humanize.humanize1024(try float(one(args)))) },
        "humanizeDuration": { args throws(TemplateFunctionError) in .string(Humanize.duration(try float(one(args)))) },
        "humanizePercentage": { args throws(TemplateFunctionError) in .string(GoFormat.g(try float(one(args)) * 100, precision: 4) + "%") },
        "humanizeTimestamp": { args throws(TemplateFunctionError) in .string(try Humanize.timestamp(try float(one(args)))) },
        "title": { args throws(TemplateFunctionError) in .string(title(try string(one(args)))) },
        "toUpper": { args throws(TemplateFunctionError) in .string(try string(one(args)).uppercased()) },
        "toLower": { args throws(TemplateFunctionError) in .string(try string(one(args)).lowercased()) },
        "stripPort": { args throws(TemplateFunctionError) in .string(stripPort(try string(one(args)))) },
        "safeHtml": { args throws(TemplateFunctionError) in .string(try string(one(args))) },
        "match": { args throws(TemplateFunctionError) in
            guard args.count == 2 else { throw TemplateFunctionError(message: "wrong number of args for match: want 2 got \(args.count)") }
            return .bool(try regex(string(args[0])).firstMatch(in: try string(args[1]), range: NSRange(try string(args[1]).startIndex..., in: try string(args[1]))) != nil)
        },
        "reReplaceAll": { args throws(TemplateFunctionError) in
            guard args.count == 3 else { throw TemplateFunctionError(message: "wrong number of args for reReplaceAll: want 3 got \(args.count)") }
            let text = try string(args[2])
            return .string(try regex(string(args[0])).stringByReplacingMatches(
                in: text, range: NSRange(text.startIndex..., in: text), withTemplate: try string(args[1])))
        },
        "printf": { args throws(TemplateFunctionError) in
            guard let format = args.first else { throw TemplateFunctionError(message: "wrong number of args for printf: want at least 1 got 0") }
            return .string(GoPrintf.format(try string(format), Array(args.dropFirst())))
        },
        "print": { args in .string(goSprint(args)) },
        "len": { args throws(TemplateFunctionError) in
            switch try one(args) {
            case .string(let s): return .int(s.utf8.count)
            case .map(let m): return .int(m.count)
            case .list(let l): return .int(l.count)
            case let other: throw TemplateFunctionError(message: "len of type \(other.typeName)")
            }
        },
        "index": { args throws(TemplateFunctionError) in
            guard var current = args.first else { throw TemplateFunctionError(message: "index of untyped nil") }
            for key in args.dropFirst() {
                guard case .map(let map) = current else { throw TemplateFunctionError(message: "can't index item of type \(current.typeName)") }
                current = .string(map[try string(key)] ?? "")
            }
            return current
        },
        "not": { args throws(TemplateFunctionError) in .bool(!(try one(args)).isTrue) },
        "and": { args in args.first { !$0.isTrue } ?? args.last ?? .none },
        "or": { args in args.first { $0.isTrue } ?? args.last ?? .none },
        "eq": { args throws(TemplateFunctionError) in
            guard let first = args.first, args.count >= 2 else { throw TemplateFunctionError(message: "missing argument for comparison") }
            for other in args.dropFirst() where try compare(first, other) == .orderedSame { return .bool(true) }
            return .bool(false)
        },
        "ne": { args throws(TemplateFunctionError) in .bool(try compare(two(args).0, two(args).1) != .orderedSame) },
        "lt": { args throws(TemplateFunctionError) in .bool(try ordered(two(args)) == .orderedAscending) },
        "le": { args throws(TemplateFunctionError) in .bool(try ordered(two(args)) != .orderedDescending) },
        "gt": { args throws(TemplateFunctionError) in .bool(try ordered(two(args)) == .orderedDescending) },
        "ge": { args throws(TemplateFunctionError) in .bool(try ordered(two(args)) != .orderedAscending) },
    ]

    /// Go's `fmt.Sprint`: a space between two operands when neither is a string.
    static func goSprint(_ args: [TemplateValue]) -> String {
        var out = ""
        for (index, arg) in args.enumerated() {
            if index > 0, !isString(args[index - 1]), !isString(arg) { out += " " }
            out += GoFormat.print(arg)
        }
        return out
    }

    private static func isString(_ value: TemplateValue) -> Bool {
        if case .string = value { return true }
        return false
    }

    private static func one(_ args: [TemplateValue]) throws(TemplateFunctionError) -> TemplateValue {
        guard args.count == 1 else { throw TemplateFunctionError(message: "wrong number of args: want 1 got \(args.count)") }
        return args[0]
    }

    private static func two(_ args: [TemplateValue]) throws(TemplateFunctionError) -> (TemplateValue, TemplateValue) {
        guard args.count == 2 else { throw TemplateFunctionError(message: "wrong number of args: want 2 got \(args.count)") }
        return (args[0], args[1])
    }

    /// Prometheus's `convertToFloat`: floats, ints and numeric strings.
    static func float(_ value: TemplateValue) throws(TemplateFunctionError) -> Double {
        switch value {
        case .float(let f): return f
        case .int(let i): return Double(i)
        case .string(let s):
            if let f = GoParseFloat.parse(s) { return f }
            throw TemplateFunctionError(message: "strconv.ParseFloat: parsing \"\(s)\": invalid syntax")
        default: throw TemplateFunctionError(message: "can't convert \(value.typeName) to float")
        }
    }

    private static func string(_ value: TemplateValue) throws(TemplateFunctionError) -> String {
        if case .string(let s) = value { return s }
        throw TemplateFunctionError(message: "wrong type for value; expected string; got \(value.typeName)")
    }

    private static func regex(_ pattern: String) throws(TemplateFunctionError) -> NSRegularExpression {
        do { return try NSRegularExpression(pattern: pattern) } catch {
            throw TemplateFunctionError(message: "error parsing regexp: \(pattern)")
        }
    }

    /// Go's `eq`/`ne`: same basic kind required (ints and floats do not mix).
    private static func compare(_ a: TemplateValue, _ b: TemplateValue) throws(TemplateFunctionError) -> ComparisonResult {
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return x == y ? .orderedSame : .orderedAscending
        case (.none, .none): return .orderedSame
        default: return try ordered((a, b))
        }
    }

    /// Go's `lt`/`gt`…: numbers and strings of the same kind.
    private static func ordered(_ pair: (TemplateValue, TemplateValue)) throws(TemplateFunctionError) -> ComparisonResult {
        switch pair {
        case (.int(let x), .int(let y)): return x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
        case (.float(let x), .float(let y)): return x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
        case (.string(let x), .string(let y)): return x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
        case (.int, .float), (.float, .int), (.string, _), (_, .string), (.int, _), (.float, _):
            throw TemplateFunctionError(message: "incompatible types for comparison")
        default: throw TemplateFunctionError(message: "invalid type for comparison")
        }
    }

    /// Go's deprecated `strings.Title`: upper-case the first letter of every word.
    static func title(_ text: String) -> String {
        var out = ""
        var previousIsSeparator = true
        for character in text {
            out += previousIsSeparator ? character.uppercased() : String(character)
            previousIsSeparator = !(character.isLetter || character.isNumber || character == "_")
        }
        return out
    }

    private static func stripPort(_ hostPort: String) -> String {
        if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
            return String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
        }
        guard let colon = hostPort.lastIndex(of: ":"), hostPort.filter({ $0 == ":" }).count == 1 else { return hostPort }
        return String(hostPort[..<colon])
    }
}
