import Synchronization

/// What the wiring adds to the exporter's service after it is built: more metric text (rule
/// and notification metrics) and status-page sections (firing alerts, rule groups), called
/// on every request, and observers told when a collection has been stored (rule evaluation).
final class MonitorExtensions: Sendable {
    /// Metric text in the text format, or OpenMetrics when the argument is true.
    typealias MetricsProvider = @Sendable (_ openMetrics: Bool) -> String
    /// An HTML fragment for the status page.
    typealias StatusSection = @Sendable () -> String

    /// Called with a collection's timestamp once its samples are in the store.
    typealias CollectionObserver = @Sendable (_ timestamp: Int64) -> Void

    private let state = Mutex<(metrics: [MetricsProvider], sections: [StatusSection], observers: [CollectionObserver])>(([], [], []))

    /// Adds metric text to every `/metrics` answer.
    func addMetrics(_ provider: @escaping MetricsProvider) {
        state.withLock { $0.metrics.append(provider) }
    }

    /// Adds a section to the status page.
    func addStatusSection(_ section: @escaping StatusSection) {
        state.withLock { $0.sections.append(section) }
    }

    /// Calls `observer` after every collection, successful or not, with its timestamp.
    func addCollectionObserver(_ observer: @escaping CollectionObserver) {
        state.withLock { $0.observers.append(observer) }
    }

    /// Tells the observers that the collection stamped `timestamp` is stored.
    func collected(at timestamp: Int64) {
        for observer in state.withLock({ $0.observers }) { observer(timestamp) }
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
