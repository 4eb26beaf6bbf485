import TimeSeries

/// Function calls: range-vector functions over windows, the rest over instant vectors.
extension Evaluator {
    func evalCall(_ call: FunctionCall, at time: Int64) throws(EvalError) -> Result {
        let name = call.function.name
        let args = call.args
        if let matrixIndex = args.firstIndex(where: { $0.type == .matrix }) {
            return .vector(try evalRangeCall(call, matrixIndex: matrixIndex, at: time))
        }
        switch name {
        case "time": return .scalar(Double(time) / 1000)
        case "pi": return .scalar(.pi)
        case "vector": return .vector([VectorElement(labels: Labels(), value: try scalar(args[0], at: time), timestamp: time)])
        case "scalar":
            let elements = try vector(args[0], at: time)
            return .scalar(elements.count == 1 ? elements[0].value : .nan)
        case "absent":
            guard try vector(args[0], at: time).isEmpty else { return .vector([]) }
            return .vector([VectorElement(labels: Self.absentLabels(args[0]), value: 1, timestamp: time)])
        case "timestamp": return .vector(try timestamp(args[0], at: time))
        case "histogram_quantile":
            let out = HistogramQuantile.evaluate(try scalar(args[0], at: time), try vector(args[1], at: time), at: time)
            try ensureUnique(out)
            return .vector(out)
        case "histogram_count", "histogram_sum", "histogram_fraction":
            for arg in args { _ = try eval(arg, at: time) }   // evaluated for their errors only
            return .vector([])
        case "sort", "sort_desc": return .vector(Self.sort(try vector(args[0], at: time), descending: name == "sort_desc"))
        case "label_replace", "label_join": return .vector(try labelCall(call, at: time))
        default:
            return .vector(try elementWise(call, at: time))
        }
    }

    /// `label_replace` and `label_join`, which may make two series equal.
    private func labelCall(_ call: FunctionCall, at time: Int64) throws(EvalError) -> [VectorElement] {
        let input = try vector(call.args[0], at: time)
        var strings: [String] = []
        for arg in call.args.dropFirst() { strings.append(try string(arg, at: time)) }
        let out = call.function.name == "label_replace"
            ? try LabelFunctions.replace(input, destination: strings[0], replacement: strings[1], source: strings[2], pattern: strings[3])
            : try LabelFunctions.join(input, destination: strings[0], separator: strings[1], sources: Array(strings.dropFirst(2)))
        try ensureUnique(out)
        return out
    }

    private func string(_ expr: Expr, at time: Int64) throws(EvalError) -> String {
        if case .string(let value) = try eval(expr, at: time) { return value }
        return ""
    }

    /// Functions that map each element's value and drop its metric name.
    private func elementWise(_ call: FunctionCall, at time: Int64) throws(EvalError) -> [VectorElement] {
        let name = call.function.name
        let input: [VectorElement]
        if call.args.isEmpty {   // year() etc. default to vector(time())
            input = [VectorElement(labels: Labels(), value: Double(time) / 1000, timestamp: time)]
        } else {
            input = try vector(call.args[0], at: time)
        }
        var scalars: [Double] = []
        for arg in call.args.dropFirst() { scalars.append(try scalar(arg, at: time)) }
        let transform: (Double) -> Double
        switch name {
        case "round":
            let nearest = scalars.first ?? 1
            transform = { MathFunctions.round($0, toNearest: nearest) }
        case "clamp":
            if scalars[1] < scalars[0] { return [] }
            transform = { MathFunctions.goMax(scalars[0], MathFunctions.goMin(scalars[1], $0)) }
        case "clamp_min": transform = { MathFunctions.goMax(scalars[0], $0) }
        case "clamp_max": transform = { MathFunctions.goMin(scalars[0], $0) }
        case "year", "month", "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute":
            transform = { DateFunctions.apply(name, $0) }
        default: transform = { MathFunctions.apply(name, $0) }
        }
        var out = input
        for index in out.indices {
            out[index].labels = Self.droppingName(out[index].labels)
            out[index].value = transform(out[index].value)
        }
        try ensureUniqueAfterDroppingNames(input, out)
        return out
    }

    /// `timestamp(v)`: a selector's sample times; any other vector's evaluation time.
    private func timestamp(_ arg: Expr, at time: Int64) throws(EvalError) -> [VectorElement] {
        var unwrapped = arg
        while case .paren(let inner) = unwrapped { unwrapped = inner }
        let input: [VectorElement]
        if case .vector(let selector) = unwrapped {
            input = instantSelector(selector, at: time, sampleTimestamps: true)
        } else {
            input = try vector(arg, at: time)
        }
        var out = input
        for index in out.indices {
            out[index].labels = Self.droppingName(out[index].labels)
            out[index].value = Double(out[index].timestamp) / 1000
            out[index].timestamp = time
        }
        try ensureUniqueAfterDroppingNames(input, out)
        return out
    }

    /// The labels `absent()` gives its element: the selector's equality matchers (not the
    /// name), minus any label that also has another matcher.
    static func absentLabels(_ arg: Expr) -> Labels {
        var arg = arg
        while case .paren(let inner) = arg { arg = inner }
        let matchers: [LabelMatcher]
        switch arg {
        case .vector(let selector), .matrix(let selector, _): matchers = selector.matchers
        default: return Labels()
        }
        var labels = Labels()
        var removed: [String] = []
        for matcher in matchers where matcher.name != Labels.metricName {
            if matcher.kind == .equal && labels[matcher.name] == nil {
                labels = labels.setting(matcher.name, to: matcher.value)
            } else {
                removed.append(matcher.name)
            }
        }
        return labels.removing(Set(removed))
    }

    /// `sort`/`sort_desc`: by value, NaN last, equal values in input order.
    static func sort(_ elements: [VectorElement], descending: Bool) -> [VectorElement] {
        elements.enumerated().sorted { a, b in
            let (x, y) = (a.element.value, b.element.value)
            if x.isNaN != y.isNaN { return y.isNaN }
            if !x.isNaN && x != y { return descending ? x > y : x < y }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// A range function's results; with `keepNames` the elements keep their metric names
    /// when dropping them could not make two of them equal (for aggregations that drop
    /// names anyway).
    func evalRangeCall(_ call: FunctionCall, matrixIndex: Int, at time: Int64,
                       keepNames: Bool = false) throws(EvalError) -> [VectorElement] {
        let name = call.function.name
        let arg = call.args[matrixIndex]
        if case .matrix(let selector, let range) = arg, let streamer,
           !data.contains(SelectorKey(matchers: selector.matchers, isRange: true)) {
            return try streamRangeCall(call, matrixIndex: matrixIndex, selector: selector, range: range,
                                       from: streamer, at: time, keepNames: keepNames)
        }
        if case .matrix(let selector, let range) = arg, name != "absent_over_time" {
            return try preloadedRangeCall(call, matrixIndex: matrixIndex, selector: selector, range: range,
                                          at: time, keepNames: keepNames)
        }
        let windows = try matrix(arg, at: time)
        if name == "absent_over_time" {
            if !windows.isEmpty { return [] }
            return [VectorElement(labels: Self.absentLabels(arg), value: 1, timestamp: time)]
        }
        var range: Int64 = 0
        var offset: Int64 = 0
        var at: AtModifier?
        switch arg {
        case .matrix(let selector, let selectorRange): (range, offset, at) = (selectorRange, selector.offset, selector.at)
        case .subquery(let subquery): (range, offset, at) = (subquery.range, subquery.offset, subquery.at)
        default: break
        }
        let context = try rangeContext(call, matrixIndex: matrixIndex, range: range, offset: offset, anchor: at, at: time)
        var output = RangeOutput(keepsName: name == "last_over_time", lazily: keepNames, time: time, capacity: windows.count)
        for window in windows {
            output.add(window.labels, RangeFunctions.apply(name, window.samples, context))
        }
        return try output.finish(self)
    }

    private func rangeContext(_ call: FunctionCall, matrixIndex: Int, range: Int64, offset: Int64,
                              anchor: AtModifier?, at time: Int64) throws(EvalError) -> RangeFunctions.Context {
        let reference = anchors.resolve(anchor, time)
        var scalars: [Double] = []
        for (index, other) in call.args.enumerated() where index != matrixIndex {
            scalars.append(try scalar(other, at: time))
        }
        var context = RangeFunctions.Context(rangeStart: reference &- offset &- range, rangeEnd: reference &- offset,
                                             time: time, scalar: scalars.first ?? .nan)
        if scalars.count > 1 { context.secondScalar = scalars[1] }
        if call.function.name == "holt_winters" { try RangeFunctions.checkHoltWinters(context) }
        return context
    }

    /// A range function over a preloaded selector: each series' window is found by binary
    /// search and handed to the function without building the range vector first.
    private func preloadedRangeCall(_ call: FunctionCall, matrixIndex: Int, selector: VectorSelector, range: Int64,
                                    at time: Int64, keepNames: Bool) throws(EvalError) -> [VectorElement] {
        let context = try rangeContext(call, matrixIndex: matrixIndex, range: range, offset: selector.offset,
                                       anchor: selector.at, at: time)
        let all = data(SelectorKey(matchers: selector.matchers, isRange: true))
        var output = RangeOutput(keepsName: call.function.name == "last_over_time", lazily: keepNames, time: time,
                                 capacity: all.count)
        output.singleName = selector.name != nil
        for series in all {
            let low = series.samples.firstIndex(atOrAfter: context.rangeStart)
            let high = series.samples.firstIndex(after: context.rangeEnd)
            if low < high { output.add(series.labels, RangeFunctions.apply(call.function.name, series.samples[low..<high], context)) }
        }
        return try output.finish(self)
    }

    /// The values of a range function over a selector streamed from the store, in label
    /// order, without their label sets; nil when the call is not streamed or dropping names
    /// could make duplicates (which must be reported). For an aggregation into one group.
    func streamedRangeValues(_ call: FunctionCall, matrixIndex: Int, at time: Int64) throws(EvalError) -> [Double]? {
        let name = call.function.name
        guard case .matrix(let selector, let range) = call.args[matrixIndex], let streamer,
              selector.name != nil, name != "absent_over_time",
              !data.contains(SelectorKey(matchers: selector.matchers, isRange: true)) else { return nil }
        let context = try rangeContext(call, matrixIndex: matrixIndex, range: range, offset: selector.offset,
                                       anchor: selector.at, at: time)
        var values: [Double] = []
        streamer.forEachSeriesSamples(matching: selector.matchers, mint: context.rangeStart, maxt: context.rangeEnd) { samples in
            let value: Double?
            if samples.contains(where: { StaleMarker.isStale($0.value) }) {
                let fresh = samples.filter { !StaleMarker.isStale($0.value) }
                value = fresh.isEmpty ? nil : RangeFunctions.apply(name, fresh[...], context)
            } else {
                value = RangeFunctions.apply(name, samples[...], context)
            }
            if let value { values.append(value) }
        }
        return values
    }

    /// A range function over a selector read one series at a time, straight from the store.
    private func streamRangeCall(_ call: FunctionCall, matrixIndex: Int, selector: VectorSelector, range: Int64,
                                 from streamer: any SeriesStreaming, at time: Int64,
                                 keepNames: Bool) throws(EvalError) -> [VectorElement] {
        let name = call.function.name
        let context = try rangeContext(call, matrixIndex: matrixIndex, range: range, offset: selector.offset,
                                       anchor: selector.at, at: time)
        var output = RangeOutput(keepsName: name == "last_over_time", lazily: keepNames, time: time, capacity: 0)
        output.singleName = selector.name != nil
        streamer.forEachSeries(matching: selector.matchers, mint: context.rangeStart, maxt: context.rangeEnd) { labels, samples in
            if samples.contains(where: { StaleMarker.isStale($0.value) }) {
                let fresh = samples.filter { !StaleMarker.isStale($0.value) }
                if !fresh.isEmpty { output.add(labels, RangeFunctions.apply(name, fresh[...], context)) }
            } else if !samples.isEmpty {
                output.add(labels, RangeFunctions.apply(name, samples[...], context))
            }
        }
        return try output.finish(self)
    }
}
