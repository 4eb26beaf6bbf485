import Foundation
import Logging
import TestSupport
@testable import KafkaSim

/// Starts simulated clusters for tests (quiet logs, short delays) and runs blocking helpers
/// off the cooperative pool, so that the cluster's timer keeps ticking while kcat runs.
enum TestCluster {
    static let quiet: Logger = {
        var logger = Logger(label: "kafka-sim-test")
        logger.logLevel = .warning
        return logger
    }()

    /// A started cluster plus its control API; `close()` stops both.
    struct Running {
        let cluster: SimulatedCluster
        let control: ControlServer
        let controlURL: String
        let bootstrap: String

        func close() async {
            await control.stop()
            await cluster.shutdown()
        }

        /// `GET /state`, decoded.
        func state() async throws -> ClusterStateDocument {
            let response = try await HTTP.request("GET", "\(controlURL)/state")
            return try JSONDecoder().decode(ClusterStateDocument.self, from: Data(response.body.utf8))
        }
    }

    static func start(brokers: Int = 3, topics: [TopicSpec] = TopicSpec.originalService,
                      timing: ReplicationTiming = ReplicationTiming()) async throws -> Running {
        let cluster = SimulatedCluster(configuration: .init(brokers: brokers, topics: topics, timing: timing, seed: 42),
                                       logger: quiet)
        try await cluster.start()
        let control = ControlServer(cluster: cluster, host: "127.0.0.1", port: 0, logger: quiet)
        let port = try await control.start()
        return Running(cluster: cluster, control: control, controlURL: "http://127.0.0.1:\(port)",
                       bootstrap: await cluster.bootstrapServers)
    }

    /// Runs a blocking call on a plain thread and awaits it.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Polls `condition` every 100 ms for up to `timeout` seconds.
    static func eventually(timeout: TimeInterval, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }
}
