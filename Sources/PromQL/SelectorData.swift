import TimeSeries

/// Which data a selector needs: its matchers, and whether it feeds a range (whose windows
/// skip staleness markers) or an instant lookup (which needs them to end a series).
struct SelectorKey: Hashable {
    let matchers: [LabelMatcher]
    let isRange: Bool
}

/// Before evaluating, walks the expression and computes for every selector the time span
/// that all evaluation steps, offsets, ranges and subqueries read, so that each selector
/// asks the querier once (as Prometheus's `populateSeries` does).
struct SelectorPlan {
    let lookbackDelta: Int64
    let defaultStep: Int64
    /// Whether range functions evaluated at a single time stream their series instead.
    let streams: Bool
    private(set) var spans: [SelectorKey: (mint: Int64, maxt: Int64)] = [:]
    /// Spans of occurrences that stream; if another occurrence of the same key is loaded,
    /// the streamed ones read the loaded data, so it must cover them too.
    private var streamed: [SelectorKey: (mint: Int64, maxt: Int64)] = [:]

    let anchors: AtAnchors

    init(lookbackDelta: Int64, defaultStep: Int64, streams: Bool = false, anchors: AtAnchors) {
        self.lookbackDelta = lookbackDelta
        self.defaultStep = defaultStep
        self.streams = streams
        self.anchors = anchors
    }

    /// The span `[start, end]` of evaluation times, or the one time an `@` fixes.
    private func anchored(_ at: AtModifier?, _ start: Int64, _ end: Int64) -> (Int64, Int64) {
        at == nil ? (start, end) : (anchors.resolve(at, start), anchors.resolve(at, start))
    }

    private mutating func need(_ key: SelectorKey, _ mint: Int64, _ maxt: Int64, streaming: Bool = false) {
        func widen(_ span: (mint: Int64, maxt: Int64)?) -> (mint: Int64, maxt: Int64) {
            span.map { (Swift.min($0.mint, mint), Swift.max($0.maxt, maxt)) } ?? (mint, maxt)
        }
        if streaming { streamed[key] = widen(streamed[key]) } else { spans[key] = widen(spans[key]) }
    }

    mutating func visit(_ expr: Expr, start: Int64, end: Int64) {
        switch expr {
        case .number, .string: break
        case .vector(let selector):
            // Evaluated once: streamed by `Evaluator.instantSelector` unless loaded anyway.
            let (from, to) = anchored(selector.at, start, end)
            need(SelectorKey(matchers: selector.matchers, isRange: false),
                 from &- selector.offset &- lookbackDelta, to &- selector.offset, streaming: streams && start == end)
        case .matrix(let selector, let range):
            visitMatrix(selector, range: range, start: start, end: end, streaming: false)
        case .subquery(let subquery):
            let (from, to) = anchored(subquery.at, start, end)
            visit(subquery.expr, start: from &- subquery.offset &- subquery.range, end: to &- subquery.offset)
        case .paren(let inner), .unary(_, let inner): visit(inner, start: start, end: end)
        case .binary(let binary):
            visit(binary.lhs, start: start, end: end)
            visit(binary.rhs, start: start, end: end)
        case .aggregate(let aggregation):
            if let param = aggregation.param { visit(param, start: start, end: end) }
            visit(aggregation.expr, start: start, end: end)
        case .call(let call):
            for arg in call.args {
                // Read by `Evaluator.streamRangeCall` when evaluated at one time only.
                if case .matrix(let selector, let range) = arg, streams, start == end,
                   call.function.name != "absent_over_time" {
                    visitMatrix(selector, range: range, start: start, end: end, streaming: true)
                } else {
                    visit(arg, start: start, end: end)
                }
            }
        }
    }

    private mutating func visitMatrix(_ selector: VectorSelector, range: Int64, start: Int64, end: Int64, streaming: Bool) {
        let (from, to) = anchored(selector.at, start, end)
        need(SelectorKey(matchers: selector.matchers, isRange: true),
             from &- selector.offset &- range, to &- selector.offset, streaming: streaming)
    }

    /// Selects every planned selector once.
    func load(from querier: any Querier) -> SelectorData {
        var series: [SelectorKey: [Series]] = [:]
        for (key, loaded) in spans {
            var span = loaded
            if let alsoStreamed = streamed[key] {
                span = (Swift.min(span.mint, alsoStreamed.mint), Swift.max(span.maxt, alsoStreamed.maxt))
            }
            let selected = querier.select(key.matchers, mint: span.mint, maxt: span.maxt)
            series[key] = key.isRange ? selected.map(Self.withoutStaleMarkers) : selected
        }
        return SelectorData(series: series)
    }

    private static func withoutStaleMarkers(_ series: Series) -> Series {
        guard series.samples.contains(where: { StaleMarker.isStale($0.value) }) else { return series }
        return Series(labels: series.labels, samples: series.samples.filter { !StaleMarker.isStale($0.value) })
    }
}

/// The series each selector selected, sorted by labels.
struct SelectorData {
    let series: [SelectorKey: [Series]]

    func contains(_ key: SelectorKey) -> Bool { series[key] != nil }

    func callAsFunction(_ key: SelectorKey) -> [Series] { series[key] ?? [] }
}

extension Array where Element == Sample {
    /// The index of the first sample whose timestamp is greater than `time` (binary search).
    func firstIndex(after time: Int64) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].timestamp <= time { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The index of the first sample whose timestamp is at least `time`.
    func firstIndex(atOrAfter time: Int64) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].timestamp < time { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
