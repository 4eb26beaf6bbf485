import Synchronization

/// The time-windowed sample store.
///
/// SKELETON IMPLEMENTATION: plain arrays and linear scans, to fix the API that the exporter
/// and the engine program against. Issue "TimeSeries" replaces the inside with Gorilla
/// chunks, postings lists, retention and snapshots, keeping this surface.
public final class Store: Querier, Appender, Sendable {
    private struct State {
        var series: [Labels: [Sample]] = [:]
        var lastBatch: [String: Set<Labels>] = [:]
    }

    private let state = Mutex(State())

    /// How much history is kept, in milliseconds.
    public let retention: Int64

    /// Creates an empty store that keeps `retention` milliseconds of history.
    public init(retention: Int64 = 3_600_000) {
        self.retention = retention
    }

    @discardableResult
    public func append(source: String, timestamp: Int64, samples: [(Labels, Double)]) -> AppendResult {
        state.withLock { state in
            var result = AppendResult()
            var present = Set<Labels>()
            for (labels, value) in samples {
                present.insert(labels)
                if let reason = Self.add(labels, Sample(timestamp, value), to: &state) {
                    result.rejected.append(.init(labels: labels, timestamp: timestamp, reason: reason))
                } else {
                    result.appended += 1
                }
            }
            for gone in state.lastBatch[source, default: []] where !present.contains(gone) {
                _ = Self.add(gone, Sample(timestamp, StaleMarker.value), to: &state)
            }
            state.lastBatch[source] = present
            return result
        }
    }

    /// Appends one sample to one series (for loading test series and snapshots).
    @discardableResult
    public func append(_ labels: Labels, _ sample: Sample) -> AppendResult.Rejection.Reason? {
        state.withLock { Self.add(labels, sample, to: &$0) }
    }

    private static func add(_ labels: Labels, _ sample: Sample, to state: inout State) -> AppendResult.Rejection.Reason? {
        if let last = state.series[labels]?.last {
            if sample.timestamp < last.timestamp { return .outOfOrder }
            if sample.timestamp == last.timestamp { return .duplicateTimestamp }
        }
        state.series[labels, default: []].append(sample)
        return nil
    }

    public func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Series] {
        state.withLock { state in
            state.series.compactMap { labels, samples -> Series? in
                guard matchers.allSatisfy({ $0.matches(labels) }) else { return nil }
                let inRange = samples.filter { $0.timestamp >= mint && $0.timestamp <= maxt }
                return inRange.isEmpty ? nil : Series(labels: labels, samples: inRange)
            }
            .sorted { $0.labels < $1.labels }
        }
    }
}
