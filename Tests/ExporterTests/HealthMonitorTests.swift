import Logging
import Synchronization
import Testing
import TimeSeries
@testable import Exporter

/// The pipeline without Kafka: a scripted source, the real deriver, writer and store.
@Suite struct HealthMonitorTests {
    /// Yields the scripted outcomes in order (nil = a failed collection), then repeats the last.
    final class ScriptedSource: SnapshotSource {
        struct Refused: Error, CustomStringConvertible {
            var description: String { "connection refused" }
        }

        private let script: Mutex<[ClusterSnapshot?]>

        init(_ script: [ClusterSnapshot?]) {
            self.script = Mutex(script)
        }

        func collect() async throws -> ClusterSnapshot {
            let next = script.withLock { $0.count > 1 ? $0.removeFirst() : $0[0] }
            guard let next else { throw Refused() }
            return next
        }
    }

    static let both = Build.snapshot([Build.topic("keep", [Build.healthy(0)]), Build.topic("gone", [Build.healthy(0)])])
    static let one = Build.snapshot([Build.topic("keep", [Build.healthy(0)])])

    @Test func countsCollectionsAndErrorsAndAppendsEveryCollectionToTheStore() async throws {
        let store = Store()
        let monitor = HealthMonitor(source: ScriptedSource([Self.both, nil, Self.one]), deriver: HealthDeriver(),
                                    store: store, logger: Logger(label: "test"))
        #expect(!monitor.hasAttemptedCollection)
        for timestamp: Int64 in [1_000, 2_000, 3_000] { await monitor.collectOnce(at: timestamp) }
        #expect(monitor.hasAttemptedCollection)
        let text = monitor.render(.prometheusText)
        #expect(Exposition.value(of: "kafka_health_monitor_collections_total", in: text) == 3)
        #expect(Exposition.value(of: "kafka_health_monitor_collect_errors_total", in: text) == 1)
        #expect(Exposition.value(of: "kafka_up", in: text) == 1)
        #expect((Exposition.value(of: "kafka_health_monitor_store_series", in: text) ?? 0) > 0)
        #expect(Exposition.value(of: #"kafka_health_monitor_store_appends_rejected_total{reason="outOfOrder"}"#, in: text) == 0)

        let up = store.select([try LabelMatcher(.equal, "__name__", "kafka_up")], mint: 0, maxt: 3_000)
        #expect(up.first?.samples.map(\.value) == [1, 0, 1])
    }

    @Test func aDeletedTopicsSeriesGoStaleInTheStore() async throws {
        let store = Store()
        let monitor = HealthMonitor(source: ScriptedSource([Self.both, Self.one]), deriver: HealthDeriver(),
                                    store: store, logger: Logger(label: "test"))
        await monitor.collectOnce(at: 1_000)
        await monitor.collectOnce(at: 2_000)
        let gone = store.select([try LabelMatcher(.equal, "__name__", "kafka_under_replicated_partitions"),
                                 try LabelMatcher(.equal, "topic", "gone")], mint: 0, maxt: 2_000)
        #expect(gone.first?.samples.count == 2)
        #expect(gone.first?.samples.last.map { StaleMarker.isStale($0.value) } == true)
    }
}
