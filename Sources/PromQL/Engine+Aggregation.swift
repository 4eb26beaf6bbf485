import TimeSeries
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Aggregation operators, following Prometheus 2.42's `aggregation()` step by step (the
/// running mean of `avg`, Welford's `stddev`, the heaps of `topk`), so floats match.
extension Evaluator {
    func evalAggregation(_ aggregation: Aggregation, at time: Int64) throws(EvalError) -> Result {
        var param = Double.nan
        var valueLabel = ""
        if let expr = aggregation.param {
            switch try eval(expr, at: time) {
            case .scalar(let value): param = value
            case .string(let value): valueLabel = value
            default: break
            }
        }
        var input: [VectorElement]
        // The aggregation discards metric names itself, so a range function below it need
        // not drop them first (it still checks that dropping them makes no duplicates).
        let namesIrrelevant = aggregation.op != .topk && aggregation.op != .bottomk
            && (aggregation.without || !aggregation.grouping.contains(Labels.metricName))
        // Everything into one group: the members' label sets are never read.
        let oneGroup = aggregation.grouping.isEmpty && !aggregation.without
            && ![.topk, .bottomk, .countValues].contains(aggregation.op)
        if oneGroup, case .call(let call) = aggregation.expr,
           let matrixIndex = call.args.firstIndex(where: { $0.type == .matrix }),
           let values = try streamedRangeValues(call, matrixIndex: matrixIndex, at: time) {
            if values.isEmpty { return .vector([]) }
            return .vector([VectorElement(labels: Labels(), value: Self.reduce(aggregation.op, values, param: param),
                                          timestamp: time)])
        }
        if namesIrrelevant, case .call(let call) = aggregation.expr,
           let matrixIndex = call.args.firstIndex(where: { $0.type == .matrix }) {
            input = try evalRangeCall(call, matrixIndex: matrixIndex, at: time, keepNames: true)
        } else {
            input = try vector(aggregation.expr, at: time)
        }
        var grouping = aggregation.grouping
        switch aggregation.op {
        case .topk, .bottomk:
            guard !param.isNaN, param.magnitude < 9.2e18 else {
                throw EvalError("Scalar value \(FloatFormat.shortest(param)) overflows int64")
            }
            if Int64(param) < 1 { return .vector([]) }
        case .countValues:
            guard Self.isValidLabelName(valueLabel) else { throw EvalError("invalid label name \"\(valueLabel)\"") }
            if !aggregation.without { grouping.append(valueLabel) }
            for index in input.indices {
                input[index].labels = input[index].labels.setting(valueLabel, to: FloatFormat.fixed(input[index].value))
            }
        default: break
        }
        let groups = group(input, by: grouping, without: aggregation.without)
        var out: [VectorElement] = []
        out.reserveCapacity(groups.count)
        for group in groups {
            switch aggregation.op {
            case .topk, .bottomk:
                out += Heap.top(Int(param), of: group.members.map { input[$0] }, largest: aggregation.op == .topk)
            default:
                let value = Self.reduce(aggregation.op, group.members.map { input[$0].value }, param: param)
                out.append(VectorElement(labels: group.labels, value: value, timestamp: time))
            }
        }
        return .vector(out)
    }

    /// Groups in order of first appearance, each with its output labels and member indices.
    private func group(_ input: [VectorElement], by grouping: [String], without: Bool) -> [(labels: Labels, members: [Int])] {
        if grouping.isEmpty && !without { return input.isEmpty ? [] : [(Labels(), Array(input.indices))] }
        let key = GroupingKey(names: grouping, without: without)
        // Hash the grouped labels in place; build a group's label set only once.
        var index: [Int: [Int]] = [:]
        var groups: [(labels: Labels, members: [Int])] = []
        for (position, element) in input.enumerated() {
            let hash = key.hash(element.labels)
            if let candidates = index[hash],
               let existing = candidates.first(where: { key.equal(groups[$0].labels, element.labels) }) {
                groups[existing].members.append(position)
            } else {
                index[hash, default: []].append(groups.count)
                groups.append((key.project(element.labels), [position]))
            }
        }
        return groups
    }

    /// One group's value for the operators that reduce to a number.
    static func reduce(_ op: AggregationOp, _ values: [Double], param: Double) -> Double {
        let first = values[0]
        switch op {
        case .sum: return values.dropFirst().reduce(first, +)
        case .min: return values.dropFirst().reduce(first) { $0 > $1 || $0.isNaN ? $1 : $0 }
        case .max: return values.dropFirst().reduce(first) { $0 < $1 || $0.isNaN ? $1 : $0 }
        case .count, .countValues: return Double(values.count)
        case .group: return 1
        case .avg: return runningMean(values)
        case .stdvar: return welford(values)
        case .stddev: return welford(values).squareRoot()
        case .quantile: return quantile(param, values)
        case .topk, .bottomk: return .nan
        }
    }

    /// Prometheus 2.42's incremental mean, which tolerates infinities.
    private static func runningMean(_ values: [Double]) -> Double {
        var mean = values[0]
        var count = 1.0
        for value in values.dropFirst() {
            count += 1
            if mean.isInfinite {
                if value.isInfinite && (mean > 0) == (value > 0) { continue }
                if !value.isInfinite && !value.isNaN { continue }
            }
            mean += value / count - mean / count
        }
        return mean
    }

    /// The population variance by Welford's method, as Prometheus computes it.
    private static func welford(_ values: [Double]) -> Double {
        var mean = values[0]
        var sum = 0.0
        var count = 1.0
        for value in values.dropFirst() {
            count += 1
            let delta = value - mean
            mean += delta / count
            sum += delta * (value - mean)
        }
        return sum / count
    }

    /// Prometheus's `quantile`: linear interpolation between the closest ranks.
    static func quantile(_ q: Double, _ values: [Double]) -> Double {
        if values.isEmpty { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        if q.isNaN { return .nan }
        let sorted = values.sorted { $0.isNaN && !$1.isNaN || $0 < $1 }
        let n = Double(sorted.count)
        let rank = q * (n - 1)
        let lower = Swift.max(0, rank.rounded(.down))
        let upper = Swift.min(n - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[Int(lower)] * (1 - weight) + sorted[Int(upper)] * weight
    }

    /// Prometheus's `model.LabelNameRE`: `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first.isLetter || first == UInt8(ascii: "_") else { return false }
        return name.utf8.allSatisfy { $0.isLetter || $0.isDigit || $0 == UInt8(ascii: "_") }
    }
}
