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
        case .pow: (GoPow.pow(lhs, rhs), true)
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
            if dropsName { result.labels = Self.droppingName(result.labels) }
            out.append(result)
        }
        if dropsName { try ensureUniqueAfterDroppingNames(vector, out) }
        return out
    }

    private func vectorVector(_ binary: BinaryExpr, _ lhs: [VectorElement], _ rhs: [VectorElement],
                              _ matching: VectorMatching) throws(EvalError) -> [VectorElement] {
        // Nothing can match, and Prometheus then reports no duplicate on the other side.
        if lhs.isEmpty || rhs.isEmpty { return [] }
        let signature = MatchSignature(matching)
        let swapped = matching.cardinality == .oneToMany
        let (many, one) = swapped ? (rhs, lhs) : (lhs, rhs)
        var oneSide = SignatureIndex(signature)
        for (position, element) in one.enumerated() {
            if let duplicate = oneSide.insert(position, element.labels, of: one) {
                let side = swapped ? "left" : "right"
                throw EvalError("found duplicate series for the match group \(signature.matchedLabels(element.labels)) on the \(side) hand-side of the operation: [\(element.labels), \(one[duplicate].labels)];many-to-many matching not allowed: matching labels must be unique on one side")
            }
        }
        var matchedOnce = Set<Int>()
        var matchedResults: [Int: Set<Labels>] = [:]
        var out: [VectorElement] = []
        for element in many {
            guard let partnerIndex = oneSide.find(element.labels, in: one) else { continue }
            let partner = one[partnerIndex]
            let (left, right) = swapped ? (partner.value, element.value) : (element.value, partner.value)
            var (value, keep) = Self.apply(binary.op, left, right)
            if binary.returnBool {
                value = keep ? 1 : 0
            } else if !keep {
                continue
            }
            var labels = Self.resultLabels(element.labels, partner.labels, binary.op, matching)
            if binary.returnBool { labels = Self.droppingName(labels) }
            if matching.cardinality == .oneToOne {
                guard matchedOnce.insert(partnerIndex).inserted else {
                    throw EvalError("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                }
            } else {
                guard matchedResults[partnerIndex, default: []].insert(labels).inserted else {
                    throw EvalError("multiple matches for labels: grouping labels must ensure unique matches")
                }
            }
            out.append(VectorElement(labels: labels, value: value, timestamp: element.timestamp))
        }
        return out
    }

    /// The labels of a result element, as Prometheus's `resultMetric`.
    private static func resultLabels(_ many: Labels, _ one: Labels, _ op: BinaryOperator, _ matching: VectorMatching) -> Labels {
        var labels = op.dropsMetricName ? droppingName(many) : many
        if matching.cardinality == .oneToOne && (matching.on || !matching.labels.isEmpty) {
            labels = matching.on ? labels.keeping(Set(matching.labels)) : labels.removing(Set(matching.labels))
        }
        for name in matching.include {
            labels = labels.setting(name, to: one[name] ?? "")
        }
        return labels
    }

    static func and(_ lhs: [VectorElement], _ rhs: [VectorElement], _ matching: VectorMatching) -> [VectorElement] {
        let right = SignatureIndex(MatchSignature(matching), all: rhs)
        return lhs.filter { right.find($0.labels, in: rhs) != nil }
    }

    static func or(_ lhs: [VectorElement], _ rhs: [VectorElement], _ matching: VectorMatching) -> [VectorElement] {
        let left = SignatureIndex(MatchSignature(matching), all: lhs)
        return lhs + rhs.filter { left.find($0.labels, in: lhs) == nil }
    }

    static func unless(_ lhs: [VectorElement], _ rhs: [VectorElement], _ matching: VectorMatching) -> [VectorElement] {
        let right = SignatureIndex(MatchSignature(matching), all: rhs)
        return lhs.filter { right.find($0.labels, in: rhs) == nil }
    }
}
