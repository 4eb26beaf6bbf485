import TimeSeries

/// promtool's expanding notation for input series values (`load` in PromQL tests):
/// `1 2 3`, `a+bxN` and `a-bxN` (N+1 values by repeated addition), `axN` (N+1 copies),
/// `_` (no sample), `_xN` (N missing samples), `stale` (a staleness marker), and the
/// numbers `Inf`, `-Inf`, `NaN`.
public enum SeriesValues {
    /// One step of the sequence: a value, or nothing at that step.
    public enum Step: Sendable, Equatable {
        case value(Double)
        case omitted
    }

    /// Expands `text`; throws a message saying which item is bad.
    public static func expand(_ text: String) throws(SeriesValuesError) -> [Step] {
        var steps: [Step] = []
        for item in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            steps += try expandItem(String(item))
        }
        return steps
    }

    private static func expandItem(_ item: String) throws(SeriesValuesError) -> [Step] {
        if item == "_" { return [.omitted] }
        if item == "stale" { return [.value(StaleMarker.value)] }
        let parts = item.split(separator: "x", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2, let times = Int(parts[1]), times >= 0 {
            let head = String(parts[0])
            if head == "_" { return Array(repeating: .omitted, count: times) }
            let (start, step) = try startAndStep(head, item: item)
            var steps: [Step] = []
            var current = start
            for _ in 0...times {
                steps.append(.value(current))
                current += step
            }
            return steps
        }
        guard let value = number(item) else { throw SeriesValuesError(item: item) }
        return [.value(value)]
    }

    /// Splits `a+b` / `a-b` (or a lone `a`, step 0) where the sign is not the leading one or
    /// an exponent's.
    private static func startAndStep(_ head: String, item: String) throws(SeriesValuesError) -> (Double, Double) {
        let scalars = Array(head.unicodeScalars)
        var index = scalars.count - 1
        while index > 0 {
            let c = scalars[index]
            if (c == "+" || c == "-") && !(scalars[index - 1] == "e" || scalars[index - 1] == "E") {
                let start = String(String.UnicodeScalarView(scalars[..<index]))
                let step = String(String.UnicodeScalarView(scalars[index...]))
                guard let a = number(start), let b = number(step) else { throw SeriesValuesError(item: item) }
                return (a, b)
            }
            index -= 1
        }
        guard let a = number(head) else { throw SeriesValuesError(item: item) }
        return (a, 0)
    }

    private static func number(_ text: String) -> Double? {
        let lowered = text.lowercased()
        if ["inf", "+inf"].contains(lowered) { return .infinity }
        if lowered == "-inf" { return -.infinity }
        if lowered == "nan" { return .nan }
        guard let first = text.unicodeScalars.first, first == "-" || first == "+" || first == "." || ("0"..."9").contains(first) else {
            return nil
        }
        if lowered.hasPrefix("0x") || lowered.hasPrefix("-0x") || lowered.hasPrefix("+0x") {
            let sign: Double = lowered.hasPrefix("-") ? -1 : 1
            return Int(lowered.split(separator: "x")[1], radix: 16).map { sign * Double($0) }
        }
        return Double(text)
    }
}

/// An input-series value that is not in the expanding notation.
public struct SeriesValuesError: Error, Sendable, CustomStringConvertible {
    /// The item that is not in the notation.
    public let item: String
    public var description: String { "invalid value \"\(item)\" in series values" }
}
