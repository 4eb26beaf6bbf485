import TimeSeries

/// The labels an aggregation groups by: those named in `by (...)`, or all but those named
/// in `without (...)` and the metric name. Hashes and compares the grouped labels of a
/// series in place, so grouping 100k series allocates one label set per group only.
struct GroupingKey {
    let names: [String]
    let without: Bool

    /// With `keepsMetricName`, `without` does not imply dropping `__name__` (as when
    /// `histogram_quantile` tells histograms apart).
    init(names: [String], without: Bool, keepsMetricName: Bool = false) {
        self.names = without && !keepsMetricName ? names + [Labels.metricName] : names
        self.without = without
    }

    /// Whether a label takes part in the grouping (names lists are short: a linear scan).
    func includes(_ name: String) -> Bool {
        names.contains(name) != without
    }

    func hash(_ labels: Labels) -> Int {
        var hasher = Hasher()
        for label in labels where includes(label.name) {
            hasher.combine(label.name)
            hasher.combine(label.value)
        }
        return hasher.finalize()
    }

    /// Whether the group's labels (already projected) equal the grouped labels of `labels`.
    func equal(_ projected: Labels, _ labels: Labels) -> Bool {
        var iterator = projected.makeIterator()
        for label in labels where includes(label.name) {
            guard let next = iterator.next(), next == label else { return false }
        }
        return iterator.next() == nil
    }

    /// Whether two label sets agree on the grouped labels.
    func sameGroup(_ a: Labels, _ b: Labels) -> Bool {
        var left = a.lazy.filter { includes($0.name) }.makeIterator()
        for label in b where includes(label.name) {
            guard let next = left.next(), next == label else { return false }
        }
        return left.next() == nil
    }

    func project(_ labels: Labels) -> Labels {
        Labels(sorted: labels.filter { includes($0.name) })
    }
}
