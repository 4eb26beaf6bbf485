import Synchronization

/// What the wiring adds to the exporter's `/metrics` and `/` after the service is built:
/// more metric text (rule and notification metrics) and more status-page sections
/// (firing alerts, rule groups). Providers are called on every request.
final class MonitorExtensions: Sendable {
    /// Metric text in the text format, or OpenMetrics when the argument is true.
    typealias MetricsProvider = @Sendable (_ openMetrics: Bool) -> String
    /// An HTML fragment for the status page.
    typealias StatusSection = @Sendable () -> String

    private let state = Mutex<(metrics: [MetricsProvider], sections: [StatusSection])>(([], []))

    /// Adds metric text to every `/metrics` answer.
    func addMetrics(_ provider: @escaping MetricsProvider) {
        state.withLock { $0.metrics.append(provider) }
    }

    /// Adds a section to the status page.
    func addStatusSection(_ section: @escaping StatusSection) {
        state.withLock { $0.sections.append(section) }
    }

    /// The added metric text.
    func metrics(openMetrics: Bool) -> String {
        state.withLock { $0.metrics }.map { $0(openMetrics) }.joined()
    }

    /// The added status-page sections.
    func statusSections() -> String {
        state.withLock { $0.sections }.map { $0() }.joined(separator: "\n")
    }
}
