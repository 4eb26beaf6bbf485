import Foundation
import Synchronization

/// A point-in-time copy of one receiver's delivery metrics.
///
/// Exposed by the integrator as (all labelled `receiver`):
/// `kafka_health_monitor_notifications_total` (delivery attempts, as Alertmanager's
/// `alertmanager_notifications_total`), `…_notifications_failed_total` (failed attempts),
/// `…_notification_latency_seconds` (a histogram, `latencyBuckets`, of the time from a
/// notification entering the outbox to its 2xx, retries included) and
/// `…_notification_queue_length` (undelivered outbox entries), and beyond DESIGN.md's list
/// `…_notifications_dropped_total` (given up: rejected with a 4xx, or dropped from a full outbox).
public struct ReceiverMetrics: Sendable, Equatable {
    /// The receiver's name.
    public var receiver: String
    /// Delivery attempts.
    public var notificationsTotal: UInt64 = 0
    /// Attempts that did not get a 2xx.
    public var notificationsFailedTotal: UInt64 = 0
    /// Notifications dropped undelivered: oldest entries over `queue_capacity`, or rejected (4xx).
    public var notificationsDroppedTotal: UInt64 = 0
    /// Cumulative counts per upper bound of `ReceiverMetrics.latencyBuckets` (+Inf last).
    public var latencyBucketCounts: [UInt64] = Array(repeating: 0, count: ReceiverMetrics.latencyBuckets.count + 1)
    /// Sum of observed latencies, in seconds.
    public var latencySum: Double = 0
    /// Number of observed latencies.
    public var latencyCount: UInt64 = 0
    /// Undelivered outbox entries.
    public var queueLength: Int = 0

    /// The latency histogram's upper bounds, in seconds.
    public static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800]

    /// An all-zero record for `receiver`.
    public init(receiver: String) { self.receiver = receiver }

    mutating func observeLatency(_ seconds: Double) {
        for (index, bound) in Self.latencyBuckets.enumerated() where seconds <= bound {
            latencyBucketCounts[index] += 1
        }
        latencyBucketCounts[Self.latencyBuckets.count] += 1
        latencySum += seconds
        latencyCount += 1
    }
}

/// The metrics of every receiver, updated by the delivery threads.
final class MetricsRegistry: Sendable {
    private let state: Mutex<[String: ReceiverMetrics]>

    init(receivers: [String]) {
        state = Mutex(Dictionary(uniqueKeysWithValues: receivers.map { ($0, ReceiverMetrics(receiver: $0)) }))
    }

    func update(_ receiver: String, _ change: (inout ReceiverMetrics) -> Void) {
        state.withLock { all in change(&all[receiver, default: ReceiverMetrics(receiver: receiver)]) }
    }

    func snapshot() -> [ReceiverMetrics] {
        state.withLock { $0.values.sorted { $0.receiver < $1.receiver } }
    }
}

extension [ReceiverMetrics] {
    /// The metrics in Prometheus text exposition format, for the integrator's `/metrics`.
    public func prometheusText() -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ lines: (ReceiverMetrics) -> [String]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for metrics in self { for line in lines(metrics) { out += line + "\n" } }
        }
        let prefix = "kafka_health_monitor_"
        func label(_ m: ReceiverMetrics) -> String { "receiver=\"\(m.receiver)\"" }
        family(prefix + "notifications_total", "counter", "Notification delivery attempts.") {
            ["\(prefix)notifications_total{\(label($0))} \($0.notificationsTotal)"]
        }
        family(prefix + "notifications_failed_total", "counter", "Notification delivery attempts that failed.") {
            ["\(prefix)notifications_failed_total{\(label($0))} \($0.notificationsFailedTotal)"]
        }
        family(prefix + "notifications_dropped_total", "counter",
               "Notifications given up undelivered: rejected by the receiver (4xx) or dropped from a full outbox.") {
            ["\(prefix)notifications_dropped_total{\(label($0))} \($0.notificationsDroppedTotal)"]
        }
        family(prefix + "notification_latency_seconds", "histogram",
               "Time from a notification entering the outbox to its successful delivery.") { m in
            var lines = ReceiverMetrics.latencyBuckets.enumerated().map { index, bound in
                "\(prefix)notification_latency_seconds_bucket{\(label(m)),le=\"\(bound)\"} \(m.latencyBucketCounts[index])"
            }
            lines.append("\(prefix)notification_latency_seconds_bucket{\(label(m)),le=\"+Inf\"} \(m.latencyCount)")
            lines.append("\(prefix)notification_latency_seconds_sum{\(label(m))} \(m.latencySum)")
            lines.append("\(prefix)notification_latency_seconds_count{\(label(m))} \(m.latencyCount)")
            return lines
        }
        family(prefix + "notification_queue_length", "gauge", "Notifications waiting in the outbox.") {
            ["\(prefix)notification_queue_length{\(label($0))} \($0.queueLength)"]
        }
        return out
    }
}
