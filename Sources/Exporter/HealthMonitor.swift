import Logging
import Synchronization
import TimeSeries

/// The exporter's pipeline for one cluster: collect a snapshot, derive metric families and
/// events, append them to the store, and keep the latest families for `/metrics`.
///
/// The process's loop (a `Service` in the executable) calls `collectOnce(at:)` on its
/// schedule; HTTP handlers call `render(_:)` and `hasAttemptedCollection` at any time.
public final class HealthMonitor: Sendable {
    /// What one collection cycle did.
    public struct CycleReport: Sendable {
        /// Whether the snapshot was collected.
        public var succeeded: Bool
        /// The failure, when it failed.
        public var error: String?
        /// Health changes found (already logged).
        public var events: [HealthEvent]
    }

    private struct State {
        var health = HealthState()
        var kafkaFamilies: [MetricFamily] = []
        var collections = 0.0
        var errors = 0.0
        var lastDuration: Double?
    }

    private let source: any SnapshotSource
    private let deriver: HealthDeriver
    private let store: Store?
    private let logger: Logger
    private let state = Mutex(State())

    /// A pipeline reading `source`, deriving with `deriver`, appending to `store` (as source
    /// "kafka") when given, whose statistics then appear as `kafka_health_monitor_store_*`.
    public init(source: any SnapshotSource, deriver: HealthDeriver, store: Store?, logger: Logger) {
        self.source = source
        self.deriver = deriver
        self.store = store
        self.logger = logger
    }

    /// Runs one collection and derivation; `timestamp` (ms since the epoch) stamps the
    /// samples appended to the store. Never throws: a failed collection is a health fact.
    @discardableResult
    public func collectOnce(at timestamp: Int64) async -> CycleReport {
        let clock = ContinuousClock()
        let started = clock.now
        let outcome: Result<ClusterSnapshot, any Error>
        do { outcome = .success(try await source.collect()) } catch { outcome = .failure(error) }
        let seconds = (clock.now - started) / .seconds(1)

        let (families, derivation) = state.withLock { state -> ([MetricFamily], HealthDeriver.Derivation) in
            let derivation: HealthDeriver.Derivation
            switch outcome {
            case .success(let snapshot): derivation = deriver.derive(&state.health, snapshot: snapshot)
            case .failure(let error):
                derivation = deriver.deriveFailure(&state.health, reason: "\(error)")
                state.errors += 1
            }
            state.collections += 1
            state.lastDuration = seconds
            state.kafkaFamilies = derivation.families
            return (derivation.families + Self.processFamilies(state), derivation)
        }
        for event in derivation.events { log(event) }
        if let store {
            let result = store.append(source: "kafka", timestamp: timestamp, samples: StoreSamples.make(families))
            if !result.rejected.isEmpty {
                logger.debug("store rejected \(result.rejected.count) samples, first: \(result.rejected[0])")
            }
        }
        if case .failure(let error) = outcome {
            return CycleReport(succeeded: false, error: "\(error)", events: derivation.events)
        }
        return CycleReport(succeeded: true, error: nil, events: derivation.events)
    }

    /// Whether a collection has been attempted (successful or not): the readiness signal.
    public var hasAttemptedCollection: Bool { state.withLock { $0.collections > 0 } }

    /// The latest Kafka families followed by the process's own (the store's included).
    public func families() -> [MetricFamily] {
        let storeFamilies = store.map { StoreMetrics.families($0.stats) } ?? []
        return state.withLock { $0.kafkaFamilies + Self.processFamilies($0) } + storeFamilies
    }

    /// The `/metrics` body in `format`.
    public func render(_ format: ExpositionFormat) -> String {
        MetricsWriter.render(families(), format: format)
    }

    /// Lends the `/metrics` body's bytes to `body`, for a response that copies them once.
    public func withRendered<T>(_ format: ExpositionFormat, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try MetricsWriter.withRendered(families(), format: format, body)
    }

    private static func processFamilies(_ state: State) -> [MetricFamily] {
        var families: [MetricFamily] = []
        if let duration = state.lastDuration {
            families.append(MetricFamily(name: MetricNames.collectDuration, help: Help.collectDuration,
                                         kind: .gauge, samples: [MetricSample(duration)]))
        }
        families.append(MetricFamily(name: MetricNames.collections, help: Help.collections, kind: .counter,
                                     samples: [MetricSample(state.collections)]))
        families.append(MetricFamily(name: MetricNames.collectErrors, help: Help.collectErrors, kind: .counter,
                                     samples: [MetricSample(state.errors)]))
        return families
    }

    private func log(_ event: HealthEvent) {
        switch event.severity {
        case .info: logger.info("\(event)")
        case .warning: logger.warning("\(event)")
        case .error: logger.error("\(event)")
        }
    }
}
