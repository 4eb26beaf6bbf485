import PromQL
import TimeSeries

/// A recording rule: its expression's result, renamed to `record:` and given the rule's
/// labels, is written back as new series. Two output series with the same labels are an
/// error, as is exceeding the group's limit.
public struct RecordingRule: Rule {
    /// The recorded metric name (`record:`).
    public let name: String
    /// The expression whose result is recorded.
    public let expr: Expr
    /// Labels set on every output series (plain values, not templates).
    public let labels: [String: String]

    /// Builds the rule from its loaded definition.
    public init(_ definition: RuleDefinition) {
        name = definition.name
        expr = definition.expr
        labels = definition.labels
    }

    /// Runs the expression at `timestamp` and returns the renamed, relabelled series.
    public mutating func eval(at timestamp: Int64, query: QueryFunc, context: RuleEvaluationContext) throws -> [VectorElement] {
        var output = try query(expr, timestamp)
        var seen = Set<Labels>()
        for index in output.indices {
            var series = output[index].labels.setting(Labels.metricName, to: name)
            for name in labels.keys.sorted() { series = series.setting(name, to: labels[name]!) }
            output[index] = VectorElement(labels: series, value: output[index].value, timestamp: timestamp)
            guard seen.insert(series).inserted else {
                throw RuleEvaluationError("vector contains metrics with the same labelset after applying rule labels")
            }
        }
        if context.limit > 0 && output.count > context.limit {
            throw RuleEvaluationError("exceeded limit of \(context.limit) with \(output.count) series")
        }
        return output
    }
}
