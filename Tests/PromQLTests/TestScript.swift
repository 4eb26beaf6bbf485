import Foundation
import TimeSeries
@testable import PromQL

/// A promqltest-style script: `load <interval>` blocks of series in expanding notation,
/// `clear`, and `eval[_fail|_ordered] instant at <time> <expr>` or
/// `eval[_fail] range from <t> to <t> step <d> <expr>`, each followed by expected lines.
struct TestScript {
    enum Command {
        case load(interval: Int64, series: [(Labels, [Double?])], line: Int)
        case clear
        case eval(Evaluation)
    }

    struct Evaluation {
        var line: Int
        var expr: String
        var time: Int64
        var rangeEnd: Int64?
        var step: Int64 = 0
        var expectFail = false
        var ordered = false
        /// Expected series (empty labels and no name for a scalar) and their values.
        var expected: [(labels: Labels, values: [Double?], isScalar: Bool)] = []
    }

    struct SyntaxError: Error, CustomStringConvertible {
        let line: Int
        let message: String
        var description: String { "line \(line): \(message)" }
    }

    var commands: [Command] = []

    init(_ text: String) throws {
        let lines = text.components(separatedBy: "\n")
        var index = 0
        while index < lines.count {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            index += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            var body: [(Int, String)] = []
            while index < lines.count, lines[index].hasPrefix(" ") || lines[index].hasPrefix("\t") {
                let inner = lines[index].trimmingCharacters(in: .whitespaces)
                if !inner.isEmpty && !inner.hasPrefix("#") { body.append((index + 1, inner)) }
                index += 1
            }
            commands.append(try Self.command(line, number: index - body.count, body: body))
        }
    }

    private static func command(_ line: String, number: Int, body: [(Int, String)]) throws -> Command {
        let words = line.split(separator: " ", maxSplits: 1).map(String.init)
        switch words[0] {
        case "clear": return .clear
        case "load":
            guard words.count == 2, let interval = duration(words[1]) else { throw SyntaxError(line: number, message: "bad load") }
            var series: [(Labels, [Double?])] = []
            for (lineNumber, text) in body {
                let (labels, rest) = try labelsPrefix(text, line: lineNumber)
                series.append((labels, try values(rest, line: lineNumber)))
            }
            return .load(interval: interval, series: series, line: number)
        case "eval", "eval_fail", "eval_ordered":
            guard words.count == 2 else { throw SyntaxError(line: number, message: "eval needs arguments") }
            var evaluation = try header(words[1], line: number)
            evaluation.expectFail = words[0] == "eval_fail"
            evaluation.ordered = words[0] == "eval_ordered"
            for (lineNumber, text) in body {
                if let scalar = Double(promql: text) {
                    evaluation.expected.append((Labels(), [scalar], true))
                    continue
                }
                let (labels, rest) = try labelsPrefix(text, line: lineNumber)
                evaluation.expected.append((labels, try values(rest, line: lineNumber), false))
            }
            return .eval(evaluation)
        default:
            throw SyntaxError(line: number, message: "unknown command \(words[0])")
        }
    }

    /// `instant at 50m expr` or `range from 0 to 10m step 1m expr`.
    private static func header(_ text: String, line: Int) throws -> Evaluation {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if words.count >= 3, words[0] == "instant", words[1] == "at", let time = duration(words[2]) {
            let expr = text.components(separatedBy: " ").drop { $0 != words[2] }.dropFirst().joined(separator: " ")
            return Evaluation(line: line, expr: expr, time: time)
        }
        if words.count >= 7, words[0] == "range", words[1] == "from", let start = duration(words[2]),
           words[3] == "to", let end = duration(words[4]), words[5] == "step", let step = duration(words[6]) {
            let expr = words[7...].joined(separator: " ")
            return Evaluation(line: line, expr: expr, time: start, rangeEnd: end, step: step)
        }
        throw SyntaxError(line: line, message: "bad eval header: \(text)")
    }

    /// A duration (`50m`) or plain seconds (`3000`) in milliseconds.
    static func duration(_ text: String) -> Int64? {
        if let seconds = Int64(text) { return seconds * 1000 }
        guard let tokens = try? Lexer.tokenize(text), tokens.count == 2, case .duration(let value) = tokens[0].kind else { return nil }
        return value
    }

    /// `name{a="b"}` at the start of a line, and the rest.
    static func labelsPrefix(_ text: String, line: Int) throws -> (Labels, String) {
        let bytes = Array(text.utf8)
        var cut = 0
        while cut < bytes.count, bytes[cut].isIdentifierStart || bytes[cut].isDigit { cut += 1 }
        if cut < bytes.count, bytes[cut] == UInt8(ascii: "{") {
            var quote: UInt8?
            while cut < bytes.count {
                let byte = bytes[cut]
                cut += 1
                if let open = quote {
                    if byte == UInt8(ascii: "\\") { cut += 1 } else if byte == open { quote = nil }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: "}") {
                    break
                }
            }
        }
        let head = String(decoding: bytes[..<min(cut, bytes.count)], as: UTF8.self)
        guard let tokens = try? Lexer.tokenize(head) else { throw SyntaxError(line: line, message: "bad series: \(text)") }
        var pairs: [(String, String)] = []
        var index = 0
        if case .identifier(let name) = tokens[0].kind {
            pairs.append((Labels.metricName, name))
            index = 1
        }
        var end = tokens[index].position.offset
        if tokens[index].kind == .leftBrace {
            index += 1
            while tokens[index].kind != .rightBrace {
                guard tokens.count > index + 3, case .string(let value) = tokens[index + 2].kind else {
                    throw SyntaxError(line: line, message: "bad labels: \(text)")
                }
                pairs.append((tokens[index].text, value))
                index += 3
                if tokens[index].kind == .comma { index += 1 }
            }
            end = tokens[index].position.offset + 1
        }
        let rest = String(decoding: bytes[end...], as: UTF8.self)
        return (Labels(pairs), rest)
    }

    /// Expanding notation: `1 2 _ stale 0+10x5 1-1x3 _x2 4x2`; nil is a missing sample.
    static func values(_ text: String, line: Int) throws -> [Double?] {
        var out: [Double?] = []
        for word in text.split(separator: " ") {
            let item = String(word)
            if item == "_" { out.append(nil); continue }
            if item == "stale" { out.append(StaleMarker.value); continue }
            if let value = Double(promql: item) { out.append(value); continue }
            guard let x = item.lastIndex(of: "x"), let count = Int(item[item.index(after: x)...]) else {
                throw SyntaxError(line: line, message: "bad value \(item)")
            }
            let head = String(item[..<x])
            if head == "_" { out += Array(repeating: nil, count: count); continue }
            let split = head.dropFirst().firstIndex { $0 == "+" || $0 == "-" }
            guard let start = Double(promql: String(split.map { head[..<$0] } ?? head[...])) else {
                throw SyntaxError(line: line, message: "bad value \(item)")
            }
            var delta = 0.0
            if let split {
                guard let step = Double(promql: String(head[head.index(after: split)...])) else {
                    throw SyntaxError(line: line, message: "bad value \(item)")
                }
                delta = head[split] == "-" ? -step : step
            }
            // Repeated addition, as Prometheus expands `a+bxN` (so floats match exactly).
            var value = start
            for _ in 0...count {
                out.append(value)
                value += delta
            }
        }
        return out
    }
}

extension Double {
    /// A number as test files write it: decimal, `Inf`, `-Inf`, `NaN`.
    init?(promql text: String) {
        switch text.lowercased() {
        case "inf", "+inf": self = .infinity
        case "-inf": self = -.infinity
        case "nan": self = .nan
        default:
            guard let value = Double(text) else { return nil }
            self = value
        }
    }
}
