import Exporter
import Hummingbird
import Logging
import ServiceLifecycle
import TimeSeries

/// The monitor's parts built from a configuration — store, pipeline, collection loop, HTTP
/// router — ready to run as `Service`s in one `ServiceGroup`.
///
/// The seams for the other areas: `store` (rules read history from it), `router` (add
/// `/api/v1/*` and `/-/reload` before `run`), `run(adding:)` (the rule manager and the
/// notification dispatcher run next to the collector and the HTTP server), and
/// `init(…, source:)` (the demo passes a collector pointed at the simulator).
struct MonitorService {
    let configuration: MonitorConfiguration
    let store: Store
    let monitor: HealthMonitor
    let router: Router<BasicRequestContext>
    let logger: Logger
    /// More `/metrics` text and status-page sections (rules, notifications).
    let extensions = MonitorExtensions()
    private let collectionLoop: CollectionLoop?

    /// Builds every part; creates the librdkafka collector unless `source` is given or
    /// collection is disabled. Throws `CollectorError.invalidProperty` for a bad property.
    init(configuration: MonitorConfiguration, logger: Logger, source: (any SnapshotSource)? = nil) throws {
        self.configuration = configuration
        self.logger = logger
        store = Self.openStore(configuration.storage, logger: logger)
        let interval = configuration.collect.interval
        let snapshotSource: any SnapshotSource
        if let source {
            snapshotSource = source
        } else if configuration.collect.enabled {
            snapshotSource = try Collector(configuration: .init(
                bootstrapServers: configuration.kafka.bootstrapServers,
                properties: configuration.kafka.properties,
                metadataTimeout: min(max(interval, .seconds(1)), .seconds(10))), logger: logger)
        } else {
            snapshotSource = DisabledSource()
        }
        monitor = HealthMonitor(
            source: snapshotSource,
            deriver: HealthDeriver(expectedBrokers: configuration.kafka.expectedBrokers,
                                   defaultMinInsyncReplicas: configuration.kafka.defaultMinInsyncReplicas),
            store: store, logger: logger)
        let collecting = configuration.collect.enabled || source != nil
        collectionLoop = collecting
            ? CollectionLoop(monitor: monitor, backoff: CollectionBackoff(interval: interval), logger: logger) : nil
        router = Router()
        let monitor = monitor
        MonitorRoutes.add(
            to: router, monitor: monitor, extensions: extensions,
            status: StatusPage(bootstrapServers: configuration.kafka.bootstrapServers,
                               interval: PrometheusDuration.format(interval), collecting: collecting),
            ready: { !collecting || monitor.hasAttemptedCollection })
    }

    /// The store: restored from `storage.path` when a snapshot is there, else empty.
    static func openStore(_ storage: MonitorConfiguration.Storage, logger: Logger) -> Store {
        let retention = Int64(storage.retention / .milliseconds(1))
        guard let path = storage.path else { return Store(retention: retention) }
        let (store, outcome) = Store.load(from: path, retention: retention)
        switch outcome {
        case .noSnapshot: logger.info("no store snapshot in \(path): starting empty")
        case let .restored(series, samples): logger.info("restored \(series) series, \(samples) samples from \(path)")
        case let .setAside(error, movedTo): logger.error("store snapshot unusable (\(error)); moved to \(movedTo)")
        case let .unreadable(error): logger.error("cannot read the store snapshot: \(error); starting empty")
        }
        return store
    }

    /// The snapshot writer (with `storage.path`), the collection loop (when collecting) and
    /// the HTTP server, in start order; graceful shutdown runs in reverse.
    func services() -> [any Service] {
        let address = configuration.web.listenAddress
        let http = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port),
                                 serverName: "kafka-health-monitor"),
            logger: logger)
        let snapshots = configuration.storage.path.map {
            StoreSnapshotService(store: store, directory: $0, interval: .seconds(300), logger: logger)
        }
        return (snapshots.map { [$0] } ?? []) + (collectionLoop.map { [$0] } ?? []) + [http]
    }

    /// Runs the services plus `additional` ones in one group until SIGTERM or SIGINT, then
    /// shuts them down gracefully.
    func run(adding additional: [any Service] = []) async throws {
        if !configuration.collect.enabled {
            logger.notice("collection disabled (ENABLE_KAFKA_HEALTH_MONITORING=false): serving HTTP only")
        }
        let group = ServiceGroup(configuration: .init(
            services: services() + additional, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// The source used when collection is disabled: never asked, as no loop runs.
private struct DisabledSource: SnapshotSource {
    struct Disabled: Error, CustomStringConvertible {
        var description: String { "collection disabled" }
    }

    func collect() async throws -> ClusterSnapshot { throw Disabled() }
}
