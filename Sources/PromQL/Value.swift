import TimeSeries

/// One element of an instant vector: a series' labels, its value, and the evaluation time.
public struct VectorElement: Sendable, Equatable {
    /// The series' labels (the metric name dropped where Prometheus drops it).
    public var labels: Labels
    /// The sample value.
    public var value: Double
    /// The evaluation time in milliseconds.
    public var timestamp: Int64

    /// An element with the given labels, value and evaluation time.
    public init(labels: Labels, value: Double, timestamp: Int64) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    /// Bitwise value equality, so NaN results compare equal to themselves in tests.
    public static func == (lhs: VectorElement, rhs: VectorElement) -> Bool {
        lhs.labels == rhs.labels && lhs.timestamp == rhs.timestamp
            && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
    }
}

/// The result of evaluating an expression.
public enum Value: Sendable {
    case scalar(Double, timestamp: Int64)
    case string(String, timestamp: Int64)
    /// Elements in evaluation order (an aggregation's groups in order of first appearance,
    /// `sort()`'s order, selectors in label order).
    case vector([VectorElement])
    /// Series sorted by labels (a range query's result, or a range selector's raw samples).
    case matrix([Series])
}

/// A failure during evaluation (not a syntax error): many-to-many matching, duplicate
/// series in a result, an invalid regular expression in `label_replace`, and so on.
public struct EvalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in Prometheus's words where it has them.
    public let message: String

    /// An error with the given message.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// The internal value of a sub-expression at one evaluation time. Range vectors are windows
/// onto the preloaded samples (no copy); stale markers were removed when loading.
enum Result {
    case scalar(Double)
    case string(String)
    case vector([VectorElement])
    case matrix([Window])
}

/// The samples of one series inside a range selector's window.
struct Window {
    let labels: Labels
    let samples: ArraySlice<Sample>
}
