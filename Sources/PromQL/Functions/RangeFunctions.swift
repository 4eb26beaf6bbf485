import TimeSeries
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The functions over range vectors, each a pure function of one series' window (stale
/// markers already removed). A nil result drops the series from the output.
enum RangeFunctions {
    /// The window's bounds and the other arguments a range function may need.
    struct Context {
        /// `t - offset - range` and `t - offset`.
        let rangeStart: Int64
        let rangeEnd: Int64
        /// The evaluation time (`predict_linear`'s intercept).
        let time: Int64
        /// `quantile_over_time`'s quantile or `predict_linear`'s horizon in seconds.
        let scalar: Double
        /// `holt_winters`'s trend factor (its smoothing factor is `scalar`).
        var secondScalar = Double.nan
    }

    static func apply(_ name: String, _ samples: ArraySlice<Sample>, _ context: Context) -> Double? {
        switch name {
        case "rate": extrapolatedRate(samples, context, isCounter: true, isRate: true)
        case "increase": extrapolatedRate(samples, context, isCounter: true, isRate: false)
        case "delta": extrapolatedRate(samples, context, isCounter: false, isRate: false)
        case "irate": instantValue(samples, isRate: true)
        case "idelta": instantValue(samples, isRate: false)
        case "deriv": samples.count < 2 ? nil : linearRegression(samples, interceptTime: samples.first!.timestamp).slope
        case "predict_linear": predictLinear(samples, context)
        case "holt_winters": holtWinters(samples, smoothing: context.scalar, trend: context.secondScalar)
        case "changes": Double(changes(samples))
        case "resets": Double(resets(samples))
        default: OverTime.apply(name, samples, context.scalar)
        }
    }

    /// Prometheus's `extrapolatedRate`: the increase between the first and last sample (with
    /// counter resets added back), extrapolated towards the window's edges when the samples
    /// come close enough to them, never below zero for counters.
    static func extrapolatedRate(_ samples: ArraySlice<Sample>, _ context: Context, isCounter: Bool, isRate: Bool) -> Double? {
        guard samples.count >= 2, let first = samples.first, let last = samples.last else { return nil }
        var result = last.value - first.value
        if isCounter {
            var previous = 0.0
            for sample in samples {
                if sample.value < previous { result += previous }
                previous = sample.value
            }
        }
        var durationToStart = Double(first.timestamp - context.rangeStart) / 1000
        let durationToEnd = Double(context.rangeEnd - last.timestamp) / 1000
        let sampledInterval = Double(last.timestamp - first.timestamp) / 1000
        let averageInterval = sampledInterval / Double(samples.count - 1)
        if isCounter && result > 0 && first.value >= 0 {
            let durationToZero = sampledInterval * (first.value / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        let threshold = averageInterval * 1.1
        var extrapolated = sampledInterval
        extrapolated += durationToStart < threshold ? durationToStart : averageInterval / 2
        extrapolated += durationToEnd < threshold ? durationToEnd : averageInterval / 2
        var factor = extrapolated / sampledInterval
        if isRate { factor /= Double(context.rangeEnd - context.rangeStart) / 1000 }
        return result * factor
    }

    /// `irate`/`idelta`: from the last two samples.
    static func instantValue(_ samples: ArraySlice<Sample>, isRate: Bool) -> Double? {
        guard samples.count >= 2 else { return nil }
        let last = samples[samples.endIndex - 1]
        let previous = samples[samples.endIndex - 2]
        var result = isRate && last.value < previous.value ? last.value : last.value - previous.value
        let interval = last.timestamp - previous.timestamp
        guard interval != 0 else { return nil }
        if isRate { result /= Double(interval) / 1000 }
        return result
    }

    /// Least-squares slope and intercept (at `interceptTime`), x in seconds.
    static func linearRegression(_ samples: ArraySlice<Sample>, interceptTime: Int64) -> (slope: Double, intercept: Double) {
        var n = 0.0, sumX = 0.0, sumY = 0.0, sumXY = 0.0, sumX2 = 0.0
        var cX = 0.0, cY = 0.0, cXY = 0.0, cX2 = 0.0
        let initial = samples.first!.value
        var constant = true
        for sample in samples {
            if constant && sample.value != initial { constant = false }
            n += 1
            let x = Double(sample.timestamp - interceptTime) / 1e3
            (sumX, cX) = Kahan.add(x, sumX, cX)
            (sumY, cY) = Kahan.add(sample.value, sumY, cY)
            (sumXY, cXY) = Kahan.add(x * sample.value, sumXY, cXY)
            (sumX2, cX2) = Kahan.add(x * x, sumX2, cX2)
        }
        if constant {
            return initial.isInfinite ? (.nan, .nan) : (0, initial)
        }
        sumX += cX
        sumY += cY
        sumXY += cXY
        sumX2 += cX2
        let covariance = sumXY - sumX * sumY / n
        let variance = sumX2 - sumX * sumX / n
        let slope = covariance / variance
        return (slope, sumY / n - slope * sumX / n)
    }

    static func predictLinear(_ samples: ArraySlice<Sample>, _ context: Context) -> Double? {
        guard samples.count >= 2 else { return nil }
        let (slope, intercept) = linearRegression(samples, interceptTime: context.time)
        return slope * context.scalar + intercept
    }

    /// Double exponential smoothing, as Prometheus 2.42's `funcHoltWinters`.
    static func holtWinters(_ samples: ArraySlice<Sample>, smoothing sf: Double, trend tf: Double) -> Double? {
        guard samples.count >= 2 else { return nil }
        let values = samples.map(\.value)
        var s0 = 0.0
        var s1 = values[0]
        var b = values[1] - values[0]
        for i in 1..<values.count {
            let x = sf * values[i]
            if i > 1 { b = tf * (s1 - s0) + (1 - tf) * b }
            let y = (1 - sf) * (s1 + b)
            (s0, s1) = (s1, x + y)
        }
        return s1
    }

    /// The factors must lie strictly between 0 and 1 (Prometheus's messages, Go's `%f`).
    static func checkHoltWinters(_ context: Context) throws(EvalError) {
        func fixed6(_ value: Double) -> String {
            if value.isNaN { return "NaN" }
            if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
            let scaled = (value.magnitude * 1e6).rounded()
            let whole = (scaled / 1e6).rounded(.towardZero)
            let fraction = Int(scaled - whole * 1e6)
            let digits = String(fraction)
            return (value < 0 ? "-" : "") + FloatFormat.fixed(whole) + "." + String(repeating: "0", count: 6 - digits.count) + digits
        }
        if !(context.scalar > 0 && context.scalar < 1) {
            throw EvalError("invalid smoothing factor. Expected: 0 < sf < 1, got: \(fixed6(context.scalar))")
        }
        if !(context.secondScalar > 0 && context.secondScalar < 1) {
            throw EvalError("invalid trend factor. Expected: 0 < tf < 1, got: \(fixed6(context.secondScalar))")
        }
    }

    static func changes(_ samples: ArraySlice<Sample>) -> Int {
        var count = 0
        var previous = samples.first!.value
        for sample in samples.dropFirst() {
            if sample.value != previous && !(sample.value.isNaN && previous.isNaN) { count += 1 }
            previous = sample.value
        }
        return count
    }

    static func resets(_ samples: ArraySlice<Sample>) -> Int {
        var count = 0
        var previous = samples.first!.value
        for sample in samples.dropFirst() {
            if sample.value < previous { count += 1 }
            previous = sample.value
        }
        return count
    }
}

/// Kahan-Neumaier compensated summation, as Prometheus's `kahanSumInc`.
enum Kahan {
    static func add(_ value: Double, _ sum: Double, _ compensation: Double) -> (Double, Double) {
        let total = sum + value
        var c = compensation
        if total.isInfinite {
            c = 0
        } else if sum.magnitude >= value.magnitude {
            c += (sum - total) + value
        } else {
            c += (value - total) + sum
        }
        return (total, c)
    }
}
