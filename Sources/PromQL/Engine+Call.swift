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
        case "sort", "sort_desc": return .vector(Self.sort(try vector(args[0], at: time), descending: name == "sort_desc"))
        case "label_replace":
            let out = try LabelFunctions.replace(try vector(args[0], at: time), destination: try string(args[1], at: time),
                                                 replacement: try string(args[2], at: time), source: try string(args[3], at: time),
                                                 pattern: try string(args[4], at: time))
            try ensureUnique(out)
            return .vector(out)
        case "label_join":
            var sources: [String] = []
            for arg in args.dropFirst(3) { sources.append(try string(arg, at: time)) }
            let out = try LabelFunctions.join(try vector(args[0], at: time), destination: try string(args[1], at: time),
                                              separator: try string(args[2], at: time), sources: sources)
            try ensureUnique(out)
            return .vector(out)
        default:
            return .vector(try elementWise(call, at: time))
        }
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
            out[index].labels = out[index].labels.droppingMetricName
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
            out[index].labels = out[index].labels.droppingMetricName
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

    private func evalRangeCall(_ call: FunctionCall, matrixIndex: Int, at time: Int64) throws(EvalError) -> [VectorElement] {
        let name = call.function.name
        let arg = call.args[matrixIndex]
        let windows = try matrix(arg, at: time)
        if name == "absent_over_time" {
            if !windows.isEmpty { return [] }
            return [VectorElement(labels: Self.absentLabels(arg), value: 1, timestamp: time)]
        }
        var range: Int64 = 0
        var offset: Int64 = 0
        switch arg {
        case .matrix(let selector, let selectorRange): (range, offset) = (selectorRange, selector.offset)
        case .subquery(let subquery): (range, offset) = (subquery.range, subquery.offset)
        default: break
        }
        var scalarArg = Double.nan
        for (index, other) in call.args.enumerated() where index != matrixIndex {
            scalarArg = try scalar(other, at: time)
        }
        let context = RangeFunctions.Context(rangeStart: time &- offset &- range, rangeEnd: time &- offset,
                                             time: time, scalar: scalarArg)
        let keepsName = name == "last_over_time"
        var out: [VectorElement] = []
        out.reserveCapacity(windows.count)
        var names = Set<String?>()
        for window in windows {
            guard let value = RangeFunctions.apply(name, window.samples, context) else { continue }
            if !keepsName && names.count < 2 { names.insert(window.labels.name) }
            out.append(VectorElement(labels: keepsName ? window.labels : window.labels.droppingMetricName,
                                     value: value, timestamp: time))
        }
        if !keepsName && names.count > 1 { try ensureUnique(out) }
        return out
    }
}
