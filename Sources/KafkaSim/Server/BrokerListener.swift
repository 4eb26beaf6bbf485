import Foundation
import Logging
import NIOCore
import NIOPosix

/// The TCP listener of one simulated broker. Stopping it closes the listening socket and every
/// open connection, so that clients see a dead broker (refused connections); starting it again
/// binds the same port, which a port hold keeps for it in between.
///
/// The port's life, and why each step sets the options it does (Linux rules for TCP binds):
/// - The listener binds with SO_REUSEADDR (beside TIME_WAIT leftovers of its connections) and
///   SO_REUSEPORT (so that the hold can bind beside it, and it beside the hold). Its first bind
///   on a configured port is checked by a plain SO_REUSEADDR bind first, which fails if
///   anything listens there: two simulators told the same port must not quietly share it.
/// - Stop: a hold — a bound socket that never listens, SO_REUSEPORT alone — binds the port
///   before the listener stops listening, so the port is never free. While it is bound,
///   connections are refused (a bound socket that does not listen answers with a reset, as a
///   dead broker's host does), the kernel picks the port for no ephemeral socket (outgoing
///   connections, binds to port 0), and no other socket can bind it, except one of the same
///   user that sets SO_REUSEPORT too. A hold with SO_REUSEADDR would not do: Linux lets any
///   other SO_REUSEADDR socket bind beside a non-listening one.
/// - Start again: the new listener binds beside the hold, then the hold is released.
/// - Shutdown: listener, connections and hold close; the port goes back to the kernel.
final class BrokerListener: @unchecked Sendable {
    let brokerId: Int32
    let host: String
    private let group: EventLoopGroup
    private let store: ClusterStateStore
    private let logger: Logger
    private let lock = NSLock()
    private var server: Channel?
    /// The listening socket under `server` (owned and closed by that channel).
    private var serverSocket: BoundSocket?
    private var connections: [ObjectIdentifier: Channel] = [:]
    /// False once stopped: a connection accepted during the stop is closed at once.
    private var accepting = false
    /// The bound port (0 until the first bind).
    private(set) var port: Int
    /// The address the listener bound (nil until the first bind): restarts bind it again.
    private var boundAddress: SocketAddress?
    /// Keeps the port while the broker is stopped (nil while it listens, or if holding failed).
    private var hold: BoundSocket?

    init(brokerId: Int32, host: String, port: Int, group: EventLoopGroup, store: ClusterStateStore, logger: Logger) {
        self.brokerId = brokerId
        self.host = host
        self.port = port
        self.group = group
        self.store = store
        self.logger = logger
    }

    /// Binds the listener (on `port`, or a free one the first time when `port` is 0); a restart
    /// binds beside the port's hold, then releases it.
    func start() async throws {
        let known = lock.withLock { boundAddress }
        let address = try known ?? SocketAddress.makeAddressResolvingHost(host, port: port)
        if known == nil && port != 0 {
            try BoundSocket.bind(address, reuse: .address).close()
        }
        let socket = try BoundSocket.bind(address, reuse: [.address, .port])
        // NIO listens again (with the same default backlog) when it adopts the socket; a
        // failure here is ours to report and clean up rather than NIO's.
        try socket.listen(backlog: 128)
        let channel = try await bootstrap().withBoundSocket(socket.descriptor).get()
        lock.withLock {
            server = channel
            serverSocket = socket
            accepting = true
            boundAddress = channel.localAddress ?? address
            port = channel.localAddress?.port ?? port
            hold?.close()
            hold = nil
        }
    }

    /// Stops the broker: holds its port, then closes the listener and every connection to it.
    /// If the hold fails (it should not; it is logged), the port may be gone by the restart.
    func stop() async {
        let (server, socket, address) = lock.withLock { () -> (Channel?, BoundSocket?, SocketAddress?) in
            defer { self.server = nil; serverSocket = nil; accepting = false }
            return (self.server, serverSocket, boundAddress)
        }
        guard let server, let socket else { return }
        if let address {
            do {
                let taken = try BoundSocket.bind(address, reuse: .port)
                lock.withLock { hold = taken }
            } catch {
                logger.warning("cannot hold the port of a stopped broker; its restart may fail",
                               metadata: ["broker": "\(brokerId)", "address": "\(address)", "error": "\(error)"])
            }
        }
        await close(server, socket)
    }

    /// Closes the listener, every connection and the port's hold: the port is given back.
    func shutdown() async {
        let (server, socket) = lock.withLock { () -> (Channel?, BoundSocket?) in
            defer { self.server = nil; serverSocket = nil; accepting = false }
            return (self.server, serverSocket)
        }
        if let server, let socket { await close(server, socket) }
        lock.withLock {
            hold?.close()
            hold = nil
        }
    }

    private func bootstrap() -> ServerBootstrap {
        ServerBootstrap(group: group)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                track(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(
                        KafkaRequestHandler(brokerId: brokerId, store: store, logger: logger))
                }
            }
    }

    /// Stops listening (for every copy of the socket, see `BoundSocket.stopListening`), closes
    /// the channel, then every connection: output first, so that the client sees the end of the
    /// stream even while a child process holds a copy of the connection's socket.
    private func close(_ server: Channel, _ socket: BoundSocket) async {
        // On the channel's event loop, where it is closed: while it is active there, its
        // descriptor is still this socket's.
        try? await server.eventLoop.submit { if server.isActive { socket.stopListening() } }.get()
        try? await server.close()
        let open = lock.withLock { Array(connections.values) }
        for channel in open {
            try? await channel.close(mode: .output)
            try? await channel.close()
        }
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
