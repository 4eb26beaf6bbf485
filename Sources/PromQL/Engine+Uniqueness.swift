import TimeSeries

/// Prometheus refuses a result vector that holds one label set twice, which happens when
/// dropping the metric name (arithmetic, functions) or rewriting labels makes series collide.
extension Evaluator {
    func dropMetricNames(_ elements: [VectorElement]) -> [VectorElement] {
        var out = elements
        for index in out.indices { out[index].labels = Self.droppingName(out[index].labels) }
        return out
    }

    /// `labels` without `__name__`, without copying when there is none.
    static func droppingName(_ labels: Labels) -> Labels {
        labels.name == nil ? labels : labels.droppingMetricName
    }

    /// Checks `output` for duplicates, skipping the check when every input had the same
    /// metric name or none (then dropping it cannot make two distinct series equal).
    func ensureUniqueAfterDroppingNames(_ input: [VectorElement], _ output: [VectorElement]) throws(EvalError) {
        guard let first = input.first else { return }
        let name = first.labels.name
        if input.allSatisfy({ $0.labels.name == name }) { return }
        try ensureUnique(output)
    }

    /// Throws when two elements share a label set.
    func ensureUnique(_ elements: [VectorElement]) throws(EvalError) {
        guard elements.count > 1 else { return }
        var seen = Set<Labels>(minimumCapacity: elements.count)
        for element in elements where !seen.insert(element.labels).inserted {
            throw EvalError("vector cannot contain metrics with the same labelset")
        }
    }
}
