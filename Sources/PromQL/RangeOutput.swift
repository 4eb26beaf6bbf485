import TimeSeries

/// Collects a range function's results; the metric name goes (except for
/// `last_over_time`), and then two series may collide.
struct RangeOutput {
    let keepsName: Bool
    /// Drop names only if that would make duplicates (to report them); else keep them.
    let lazily: Bool
    let time: Int64
    /// The selector names one metric, so dropping names cannot make duplicates.
    var singleName = false
    private var out: [VectorElement] = []
    private var firstName: String??
    private var severalNames = false

    init(keepsName: Bool, lazily: Bool, time: Int64, capacity: Int) {
        self.keepsName = keepsName
        self.lazily = lazily
        self.time = time
        out.reserveCapacity(capacity)
    }

    mutating func add(_ labels: Labels, _ value: Double?) {
        guard let value else { return }
        if keepsName {
            out.append(VectorElement(labels: labels, value: value, timestamp: time))
            return
        }
        if !singleName {
            let name = labels.name
            if let firstName { severalNames = severalNames || firstName != name } else { firstName = .some(name) }
        }
        out.append(VectorElement(labels: lazily ? labels : Evaluator.droppingName(labels), value: value, timestamp: time))
    }

    func finish(_ evaluator: Evaluator) throws(EvalError) -> [VectorElement] {
        guard severalNames else { return out }
        let dropped = lazily ? evaluator.dropMetricNames(out) : out
        try evaluator.ensureUnique(dropped)
        return dropped
    }
}
