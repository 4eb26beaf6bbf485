import Foundation
import Logging
import NIOCore
import NIOPosix

/// The TCP listener of one simulated broker. Stopping it closes the listening socket and every
/// open connection, so that clients see a dead broker (refused connections); starting it again
/// binds the same port.
final class BrokerListener: @unchecked Sendable {
    let brokerId: Int32
    let host: String
    private let group: EventLoopGroup
    private let store: ClusterStateStore
    private let logger: Logger
    private let lock = NSLock()
    private var server: Channel?
    private var connections: [ObjectIdentifier: Channel] = [:]
    /// False once stopped: a connection accepted during the stop is closed at once.
    private var accepting = false
    /// The bound port (0 until the first bind).
    private(set) var port: Int

    init(brokerId: Int32, host: String, port: Int, group: EventLoopGroup, store: ClusterStateStore, logger: Logger) {
        self.brokerId = brokerId
        self.host = host
        self.port = port
        self.group = group
        self.store = store
        self.logger = logger
    }

    /// Binds the listener (on `port`, or a free one the first time when `port` is 0).
    func start() async throws {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                track(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(
                        KafkaRequestHandler(brokerId: brokerId, store: store, logger: logger))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        lock.withLock {
            server = channel
            accepting = true
            port = channel.localAddress?.port ?? port
        }
    }

    /// Closes the listener and every connection to it.
    func stop() async {
        let server = lock.withLock { () -> Channel? in
            defer { self.server = nil; accepting = false }
            return self.server
        }
        try? await server?.close()
        let open = lock.withLock { Array(connections.values) }
        for channel in open { try? await channel.close() }
    }

    private func track(_ channel: Channel) {
        let key = ObjectIdentifier(channel)
        let accepted = lock.withLock {
            if accepting { connections[key] = channel }
            return accepting
        }
        guard accepted else {
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { [self] _ in
            _ = lock.withLock { connections.removeValue(forKey: key) }
        }
    }
}
