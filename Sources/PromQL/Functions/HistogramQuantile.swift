import TimeSeries

/// `histogram_quantile(φ, buckets)` over classic histograms (`le`-labelled bucket series),
/// as Prometheus 2.42's `bucketQuantile`: buckets sorted and coalesced, counts forced
/// monotonic, linear interpolation inside the bucket holding the rank.
enum HistogramQuantile {
    struct Bucket {
        var upperBound: Double
        var count: Double
    }

    /// One output element per histogram: the bucket series grouped by all labels but `le`,
    /// output without `__name__`, `le` and `quantile`, in order of first appearance.
    static func evaluate(_ q: Double, _ input: [VectorElement], at time: Int64) -> [VectorElement] {
        let key = GroupingKey(names: ["le"], without: true, keepsMetricName: true)
        var index: [Int: [Int]] = [:]
        var histograms: [(signature: Labels, labels: Labels, buckets: [Bucket])] = []
        for element in input {
            guard let text = element.labels["le"], let upperBound = parseFloat(text) else { continue }
            let hash = key.hash(element.labels)
            let position: Int
            if let found = index[hash]?.first(where: { key.equal(histograms[$0].signature, element.labels) }) {
                position = found
            } else {
                position = histograms.count
                index[hash, default: []].append(position)
                histograms.append((key.project(element.labels),
                                   element.labels.removing([Labels.metricName, "le", "quantile"]), []))
            }
            histograms[position].buckets.append(Bucket(upperBound: upperBound, count: element.value))
        }
        return histograms.map { VectorElement(labels: $0.labels, value: quantile(q, $0.buckets), timestamp: time) }
    }

    static func quantile(_ q: Double, _ unsorted: [Bucket]) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        var buckets = coalesce(unsorted.sorted { $0.upperBound < $1.upperBound })
        guard let last = buckets.last, last.upperBound == .infinity else { return .nan }
        var highest = -Double.infinity
        for i in buckets.indices {
            if buckets[i].count > highest { highest = buckets[i].count } else if buckets[i].count < highest { buckets[i].count = highest }
        }
        guard buckets.count >= 2, buckets[buckets.count - 1].count != 0 else { return .nan }
        var rank = q * buckets[buckets.count - 1].count
        let b = buckets[..<(buckets.count - 1)].firstIndex { $0.count >= rank } ?? buckets.count - 1
        if b == buckets.count - 1 { return buckets[buckets.count - 2].upperBound }
        if b == 0 && buckets[0].upperBound <= 0 { return buckets[0].upperBound }
        var start = 0.0
        var count = buckets[b].count
        if b > 0 {
            start = buckets[b - 1].upperBound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        return start + (buckets[b].upperBound - start) * (rank / count)
    }

    /// Merges buckets with the same upper bound by adding their counts.
    private static func coalesce(_ buckets: [Bucket]) -> [Bucket] {
        var out: [Bucket] = []
        for bucket in buckets {
            if let last = out.last, last.upperBound == bucket.upperBound {
                out[out.count - 1].count += bucket.count
            } else {
                out.append(bucket)
            }
        }
        return out
    }

    /// Go's `ParseFloat` for `le` values: decimal, `+Inf`/`Inf`, `NaN`.
    private static func parseFloat(_ text: String) -> Double? {
        switch text.lowercased() {
        case "+inf", "inf", "+infinity", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default:
            guard text.utf8.allSatisfy({ $0.isDigit || "+-.eE".utf8.contains($0) }) else { return nil }
            return Double(text)
        }
    }
}
