import TimeSeries

/// The `<aggregation>_over_time` functions.
enum OverTime {
    static func apply(_ name: String, _ samples: ArraySlice<Sample>, _ q: Double) -> Double? {
        switch name {
        case "avg_over_time": average(samples)
        case "min_over_time": samples.dropFirst().reduce(samples.first!.value) { $1.value < $0 || $0.isNaN ? $1.value : $0 }
        case "max_over_time": samples.dropFirst().reduce(samples.first!.value) { $1.value > $0 || $0.isNaN ? $1.value : $0 }
        case "sum_over_time": sum(samples)
        case "count_over_time": Double(samples.count)
        case "last_over_time": samples.last!.value
        case "present_over_time": 1
        case "stdvar_over_time": variance(samples)
        case "stddev_over_time": variance(samples).squareRoot()
        case "quantile_over_time": Evaluator.quantile(q, samples.map(\.value))
        default: nil
        }
    }

    static func sum(_ samples: ArraySlice<Sample>) -> Double {
        var sum = 0.0, c = 0.0
        for sample in samples { (sum, c) = Kahan.add(sample.value, sum, c) }
        return sum.isInfinite ? sum : sum + c
    }

    static func average(_ samples: ArraySlice<Sample>) -> Double {
        var mean = 0.0, count = 0.0, c = 0.0
        for sample in samples {
            let value = sample.value
            count += 1
            if mean.isInfinite {
                if value.isInfinite && (mean > 0) == (value > 0) { continue }
                if !value.isInfinite && !value.isNaN { continue }
            }
            (mean, c) = Kahan.add(value / count - mean / count, mean, c)
        }
        return mean.isInfinite ? mean : mean + c
    }

    static func variance(_ samples: ArraySlice<Sample>) -> Double {
        var count = 0.0, mean = 0.0, cMean = 0.0, aux = 0.0, cAux = 0.0
        for sample in samples {
            count += 1
            let delta = sample.value - (mean + cMean)
            (mean, cMean) = Kahan.add(delta / count, mean, cMean)
            (aux, cAux) = Kahan.add(delta * (sample.value - (mean + cMean)), aux, cAux)
        }
        return (aux + cAux) / count
    }
}
