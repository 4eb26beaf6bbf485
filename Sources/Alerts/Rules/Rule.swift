import PromQL
import TimeSeries

/// Runs a rule's expression at a time and returns an instant vector: the one way rules reach
/// the query engine (Prometheus's `QueryFunc`). A scalar result comes back as one element
/// with no labels; a string or matrix result is an error.
public typealias QueryFunc = @Sendable (_ expr: Expr, _ timestamp: Int64) throws -> [VectorElement]

/// Receives the alerts a rule evaluation wants sent (Prometheus's `NotifyFunc`): firing
/// alerts again every resend delay, resolved ones once after they resolve. The group never
/// calls a notifier itself.
public typealias NotifyFunc = @Sendable (_ alerts: [Alert]) -> Void

/// A rule of a group: evaluated at a time, it returns the samples to write back to the store
/// (recorded series, or `ALERTS`/`ALERTS_FOR_STATE`). Time is always passed in.
public protocol Rule: Sendable {
    /// The alert name or the recorded metric name.
    var name: String { get }
    /// The rule's expression.
    var expr: Expr { get }
    /// Evaluates the rule at `timestamp`; throws a `RuleEvaluationError` (or the engine's
    /// error) when the query fails or the result breaks a rule invariant.
    mutating func eval(at timestamp: Int64, query: QueryFunc, context: RuleEvaluationContext) throws -> [VectorElement]
}

/// What every rule of a group sees besides the query: the group's limit and the labels and
/// URL the templates may use.
public struct RuleEvaluationContext: Sendable {
    /// The most alerts or series a rule may produce; 0 means no limit.
    public var limit: Int
    /// `$externalLabels` in templates.
    public var externalLabels: [String: String]
    /// `$externalURL` in templates.
    public var externalURL: String

    /// A context; the defaults mean no limit and no external labels or URL.
    public init(limit: Int = 0, externalLabels: [String: String] = [:], externalURL: String = "") {
        self.limit = limit
        self.externalLabels = externalLabels
        self.externalURL = externalURL
    }
}

/// A rule whose result breaks an invariant: duplicate output series, or over the group limit.
public struct RuleEvaluationError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in Prometheus's words.
    public let message: String
    /// An error with Prometheus's message.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Whether a rule's last evaluation succeeded (Prometheus's rule health).
public enum RuleHealth: String, Sendable {
    case unknown, ok, err
}
