/// A PromQL function's signature: argument types, how many trailing arguments are optional,
/// and the result type. The evaluator dispatches on `name`.
public struct Function: Sendable, Equatable {
    /// The name as written in PromQL (`rate`).
    public let name: String
    let argTypes: [ValueType]
    /// 0: exactly `argTypes.count` arguments; n > 0: up to n optional trailing arguments
    /// (the last type may be left out); -1: the last type repeats without limit.
    let variadic: Int
    /// What a call evaluates to.
    public let returnType: ValueType

    init(_ name: String, _ argTypes: [ValueType], _ returnType: ValueType, variadic: Int = 0) {
        self.name = name
        self.argTypes = argTypes
        self.returnType = returnType
        self.variadic = variadic
    }

    /// The functions this engine evaluates, by name.
    static let supported: [String: Function] = {
        var table: [String: Function] = [:]
        func add(_ function: Function) { table[function.name] = function }
        for name in ["rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets",
                     "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
                     "last_over_time", "present_over_time", "stddev_over_time", "stdvar_over_time",
                     "absent_over_time"] {
            add(Function(name, [.matrix], .vector))
        }
        add(Function("quantile_over_time", [.scalar, .matrix], .vector))
        add(Function("predict_linear", [.matrix, .scalar], .vector))
        add(Function("holt_winters", [.matrix, .scalar, .scalar], .vector))
        for name in ["abs", "ceil", "floor", "exp", "ln", "log2", "log10", "sqrt", "sgn", "deg", "rad",
                     "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh",
                     "atanh", "absent", "timestamp", "sort", "sort_desc"] {
            add(Function(name, [.vector], .vector))
        }
        for name in ["day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year"] {
            add(Function(name, [.vector], .vector, variadic: 1))
        }
        add(Function("round", [.vector, .scalar], .vector, variadic: 1))
        add(Function("histogram_quantile", [.scalar, .vector], .vector))
        // Native-histogram functions: they skip float samples, and the store holds only
        // floats, so they return nothing, exactly as Prometheus does for float series.
        add(Function("histogram_count", [.vector], .vector))
        add(Function("histogram_sum", [.vector], .vector))
        add(Function("histogram_fraction", [.scalar, .scalar, .vector], .vector))
        add(Function("clamp", [.vector, .scalar, .scalar], .vector))
        add(Function("clamp_min", [.vector, .scalar], .vector))
        add(Function("clamp_max", [.vector, .scalar], .vector))
        add(Function("label_replace", [.vector, .string, .string, .string, .string], .vector))
        add(Function("label_join", [.vector, .string, .string, .string], .vector, variadic: -1))
        add(Function("time", [], .scalar))
        add(Function("pi", [], .scalar))
        add(Function("vector", [.scalar], .vector))
        add(Function("scalar", [.vector], .scalar))
        return table
    }()

    /// Functions and aggregations of later Prometheus versions (a 3.x rule file loaded
    /// here): refused as "not supported" rather than "unknown".
    static let unsupported: Set<String> = [
        "sort_by_label", "sort_by_label_desc", "double_exponential_smoothing", "mad_over_time",
        "info", "histogram_avg", "histogram_stddev", "histogram_stdvar", "limitk", "limit_ratio",
        "ts_of_max_over_time", "ts_of_min_over_time", "ts_of_last_over_time", "first_over_time",
    ]
}
