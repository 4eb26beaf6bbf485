import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP control API of a simulated cluster, on its own port:
/// `GET /state`, `POST /brokers/{id}/stop|start|slow|error`, `DELETE /brokers/{id}/slow|error`,
/// `POST /topics`, `DELETE /topics/{name}`, `POST /topics/{t}/partitions/{p}/leader|isr`.
/// Answers JSON; refusals carry `{"error": "..."}` and a 4xx status.
public final class ControlServer: Sendable {
    private let cluster: SimulatedCluster
    private let host: String
    private let port: Int
    private let logger: Logger
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let channel = ChannelBox()

    /// A control server for `cluster` that will listen on `host:port` (0: a free port).
    public init(cluster: SimulatedCluster, host: String, port: Int, logger: Logger = Logger(label: "kafka-sim")) {
        self.cluster = cluster
        self.host = host
        self.port = port
        self.logger = logger
    }

    /// Binds and returns the port.
    public func start() async throws -> Int {
        let cluster = self.cluster
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true).flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(ControlHTTPHandler(cluster: cluster))
                }
            }
        let bound = try await bootstrap.bind(host: host, port: port).get()
        channel.set(bound)
        return bound.localAddress?.port ?? port
    }

    /// Closes the listener and stops its event loop.
    public func stop() async {
        try? await channel.take()?.close()
        try? await group.shutdownGracefully()
    }
}

/// Holds the listening channel between `start()` and `stop()`.
private final class ChannelBox: @unchecked Sendable {
    private let lock = NSLock()
    private var channel: Channel?

    func set(_ channel: Channel) { lock.withLock { self.channel = channel } }
    func take() -> Channel? { lock.withLock { defer { channel = nil }; return channel } }
}
