import TimeSeries

/// Selectors and subqueries.
extension Evaluator {
    /// Each series' latest sample in `[t - offset - lookback, t - offset]`, unless that sample
    /// is a staleness marker. Elements carry the evaluation time, or with `sampleTimestamps`
    /// the sample's own (for `timestamp()`).
    func instantSelector(_ selector: VectorSelector, at time: Int64, sampleTimestamps: Bool = false) -> [VectorElement] {
        let reference = anchors.resolve(selector.at, time) &- selector.offset
        let key = SelectorKey(matchers: selector.matchers, isRange: false)
        var out: [VectorElement] = []
        func take(_ labels: Labels, _ samples: [Sample]) {
            let after = samples.firstIndex(after: reference)
            guard after > 0 else { return }
            let sample = samples[after - 1]
            guard sample.timestamp >= reference &- lookbackDelta, !StaleMarker.isStale(sample.value) else { return }
            out.append(VectorElement(labels: labels, value: sample.value,
                                     timestamp: sampleTimestamps ? sample.timestamp : time))
        }
        if let streamer, !data.contains(key) {
            streamer.forEachSeries(matching: selector.matchers, mint: reference &- lookbackDelta, maxt: reference, take)
        } else {
            let all = data(key)
            out.reserveCapacity(all.count)
            for series in all { take(series.labels, series.samples) }
        }
        return out
    }

    /// Each series' samples in `[t - offset - range, t - offset]`; series without any are left out.
    func rangeSelector(_ selector: VectorSelector, range: Int64, at time: Int64) -> [Window] {
        let end = anchors.resolve(selector.at, time) &- selector.offset
        let start = end &- range
        var out: [Window] = []
        for series in data(SelectorKey(matchers: selector.matchers, isRange: true)) {
            let low = series.samples.firstIndex(atOrAfter: start)
            let high = series.samples.firstIndex(after: end)
            if low < high { out.append(Window(labels: series.labels, samples: series.samples[low..<high])) }
        }
        return out
    }

    /// Evaluates the inner expression at every multiple of the step in
    /// `[t - offset - range, t - offset]`, as Prometheus 2.x aligns subquery steps.
    func evalSubquery(_ subquery: Subquery, at time: Int64) throws(EvalError) -> [Window] {
        let step = subquery.step ?? defaultStep
        guard step > 0 else { return [] }
        let end = anchors.resolve(subquery.at, time) &- subquery.offset
        let lowest = end &- subquery.range
        var first = step &* (lowest / step)
        if first < lowest { first &+= step }
        if first <= end { try budget.spend(Int((end - first) / step) + 1) }
        var series = SeriesAccumulator()
        var stepTime = first
        while stepTime <= end {
            for element in try vector(subquery.expr, at: stepTime) {
                series.add(element.labels, Sample(stepTime, element.value))
            }
            stepTime &+= step
        }
        return series.sorted.map { Window(labels: $0.labels, samples: $0.samples[...]) }
    }
}
