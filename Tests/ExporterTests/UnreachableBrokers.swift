import KafkaSim
import Logging
import TestSupport

/// Three broker addresses that refuse connections (ports held, not listening) until
/// `comeUp()` starts a KafkaSim cluster with the original service's topics on exactly those
/// ports. Pool ports (`Ports`) are never assigned by the kernel nor handed out twice, so
/// nothing can take them between the release and the simulator's bind.
final class UnreachableBrokers: Sendable {
    private let reserved = (1...3).map { _ in RefusingPort() }

    /// `host:port,…` of the three brokers.
    var bootstrapServers: String { reserved.map { "127.0.0.1:\($0.port)" }.joined(separator: ",") }

    /// Starts the cluster on the held ports; the caller shuts it down.
    func comeUp() async throws -> SimulatedCluster {
        var quiet = Logger(label: "kafka-sim-test")
        quiet.logLevel = .warning
        for port in reserved { port.release() }
        let cluster = SimulatedCluster(configuration: .init(brokers: 3, topics: TopicSpec.originalService,
                                                            ports: reserved.map(\.port), seed: 42), logger: quiet)
        try await cluster.start()
        return cluster
    }
}
