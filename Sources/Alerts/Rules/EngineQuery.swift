import PromQL
import TimeSeries

/// The `QueryFunc` over the PromQL engine and a store (Prometheus's `EngineQueryFunc`):
/// instant queries whose scalar results become one unlabelled element.
public enum EngineQuery {
    /// A query result that rules cannot use.
    public struct NotAVector: Error, CustomStringConvertible {
        public var description: String { "rule result is not a vector or scalar" }
    }

    /// Runs `expr` at a time with `engine` over `querier`.
    public static func function(engine: Engine, querier: any Querier) -> QueryFunc {
        { expr, timestamp in
            switch try engine.instant(expr, at: timestamp, querier: querier) {
            case .vector(let elements):
                return elements
            case .scalar(let value, _):
                return [VectorElement(labels: Labels(), value: value, timestamp: timestamp)]
            case .string, .matrix:
                throw NotAVector()
            }
        }
    }
}
