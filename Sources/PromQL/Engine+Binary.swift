import TimeSeries
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Binary operators: scalar/scalar, vector/scalar, and vector/vector with matching.
extension Evaluator {
    func evalBinary(_ binary: BinaryExpr, at time: Int64) throws(EvalError) -> Result {
        let lhs = try eval(binary.lhs, at: time)
        let rhs = try eval(binary.rhs, at: time)
        switch (lhs, rhs) {
        case (.scalar(let left), .scalar(let right)):
            let (value, keep) = Self.apply(binary.op, left, right)
            return .scalar(binary.op.isComparison ? (keep ? 1 : 0) : value)
        case (.vector(let left), .scalar(let right)):
            return .vector(try vectorScalar(binary, left, right, scalarOnLeft: false))
        case (.scalar(let left), .vector(let right)):
            return .vector(try vectorScalar(binary, right, left, scalarOnLeft: true))
        case (.vector(let left), .vector(let right)):
            let matching = binary.matching ?? VectorMatching()
            switch binary.op {
            case .and: return .vector(Self.and(left, right, matching))
            case .or: return .vector(Self.or(left, right, matching))
            case .unless: return .vector(Self.unless(left, right, matching))
            default: return .vector(try vectorVector(binary, left, right, matching))
            }
        default:
            throw EvalError("binary expression must contain only scalar and instant vector types")
        }
    }

    /// Applies `op`; for comparisons the value is the left operand and `keep` the outcome.
    static func apply(_ op: BinaryOperator, _ lhs: Double, _ rhs: Double) -> (value: Double, keep: Bool) {
        switch op {
        case .add: (lhs + rhs, true)
        case .sub: (lhs - rhs, true)
        case .mul: (lhs * rhs, true)
        case .div: (lhs / rhs, true)
        case .pow: (pow(lhs, rhs), true)
        case .mod: (fmod(lhs, rhs), true)
        case .atan2: (atan2(lhs, rhs), true)
        case .eql: (lhs, lhs == rhs)
        case .neq: (lhs, lhs != rhs)
        case .gtr: (lhs, lhs > rhs)
        case .lss: (lhs, lhs < rhs)
        case .gte: (lhs, lhs >= rhs)
        case .lte: (lhs, lhs <= rhs)
        case .and, .or, .unless: (lhs, true)
        }
    }

    private func vectorScalar(_ binary: BinaryExpr, _ vector: [VectorElement], _ scalar: Double,
                              scalarOnLeft: Bool) throws(EvalError) -> [VectorElement] {
        let dropsName = binary.op.dropsMetricName || binary.returnBool
        var out: [VectorElement] = []
        out.reserveCapacity(vector.count)
        for element in vector {
            let (left, right) = scalarOnLeft ? (scalar, element.value) : (element.value, scalar)
            var (value, keep) = Self.apply(binary.op, left, right)
            // A comparison keeps the vector's value, on whichever side the vector is.
            if binary.op.isComparison && scalarOnLeft { value = right }
            if binary.returnBool {
                value = keep ? 1 : 0
                keep = true
            }
            guard keep else { continue }
            var result = element
            result.value = value
            if dropsName { result.labels = result.labels.droppingMetricName }
            out.append(result)
        }
        if dropsName { try ensureUniqueAfterDroppingNames(vector, out) }
        return out
    }

    private func vectorVector(_ binary: BinaryExpr, _ lhs: [VectorElement], _ rhs: [VectorElement],
                              _ matching: VectorMatching) throws(EvalError) -> [VectorElement] {
        let signature = MatchSignature(matching)
        let swapped = matching.cardinality == .oneToMany
        let (many, one) = swapped ? (rhs, lhs) : (lhs, rhs)
        var oneSide: [Labels: VectorElement] = [:]
        oneSide.reserveCapacity(one.count)
        for element in one {
            let key = signature.of(element.labels)
            if let duplicate = oneSide[key] {
                let side = swapped ? "left" : "right"
                throw EvalError("found duplicate series for the match group \(signature.matchedLabels(element.labels)) on the \(side) hand-side of the operation: [\(element.labels), \(duplicate.labels)];many-to-many matching not allowed: matching labels must be unique on one side")
            }
            oneSide[key] = element
        }
        var matched: [Labels: Set<Labels>] = [:]
        var out: [VectorElement] = []
        for element in many {
            let key = signature.of(element.labels)
            guard let partner = oneSide[key] else { continue }
            let (left, right) = swapped ? (partner.value, element.value) : (element.value, partner.value)
            var (value, keep) = Self.apply(binary.op, left, right)
            if binary.returnBool {
                value = keep ? 1 : 0
            } else if !keep {
                continue
            }
            var labels = Self.resultLabels(element.labels, partner.labels, binary.op, matching)
            if binary.returnBool { labels = labels.droppingMetricName }
            if matching.cardinality == .oneToOne {
                if matched[key] != nil {
                    throw EvalError("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                }
                matched[key] = []
            } else {
                if matched[key, default: []].contains(labels) {
                    throw EvalError("multiple matches for labels: grouping labels must ensure unique matches")
                }
                matched[key, default: []].insert(labels)
            }
            out.append(VectorElement(labels: labels, value: value, timestamp: element.timestamp))
        }
        return out
    }

    /// The labels of a result element, as Prometheus's `resultMetric`.
    private static func resultLabels(_ many: Labels, _ one: Labels, _ op: BinaryOperator, _ matching: VectorMatching) -> Labels {
        var labels = op.dropsMetricName ? many.droppingMetricName : many
        if matching.cardinality == .oneToOne {
            labels = matching.on ? labels.keeping(Set(matching.labels)) : labels.removing(Set(matching.labels))
        }
        for name in matching.include {
            labels = labels.setting(name, to: one[name] ?? "")
        }
        return labels
    }

    static func and(_ lhs: [VectorElement], _ rhs: [VectorElement], _ matching: VectorMatching) -> [VectorElement] {
        let signature = MatchSignature(matching)
        let right = Set(rhs.map { signature.of($0.labels) })
        return lhs.filter { right.contains(signature.of($0.labels)) }
    }

    static func or(_ lhs: [VectorElement], _ rhs: [VectorElement], _ matching: VectorMatching) -> [VectorElement] {
        let signature = MatchSignature(matching)
        let left = Set(lhs.map { signature.of($0.labels) })
        return lhs + rhs.filter { !left.contains(signature.of($0.labels)) }
    }

    static func unless(_ lhs: [VectorElement], _ rhs: [VectorElement], _ matching: VectorMatching) -> [VectorElement] {
        let signature = MatchSignature(matching)
        let right = Set(rhs.map { signature.of($0.labels) })
        return lhs.filter { !right.contains(signature.of($0.labels)) }
    }
}

/// The labels two elements must share to match: those of `on(...)`, or all but those of
/// `ignoring(...)` and the metric name.
struct MatchSignature {
    let on: Bool
    let names: Set<String>

    init(_ matching: VectorMatching) {
        on = matching.on
        names = on ? Set(matching.labels) : Set(matching.labels).union([Labels.metricName])
    }

    func of(_ labels: Labels) -> Labels {
        on ? labels.keeping(names) : labels.removing(names)
    }

    /// The matched labels, for error messages.
    func matchedLabels(_ labels: Labels) -> Labels {
        on ? labels.keeping(names) : labels.removing(names)
    }
}
