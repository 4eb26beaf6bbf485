#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// A TCP socket bound to an address, close-on-exec, with the address-reuse options that a
/// broker's port needs at each step of its life (see `BrokerListener`). The simulator makes
/// its listening sockets itself, rather than letting NIO make them, for two things NIO does
/// not offer: binding with SO_REUSEPORT, and taking a socket out of the LISTEN state for
/// every copy of its descriptor (`stopListening()`). Linux only.
struct BoundSocket: Sendable {
    /// Which of SO_REUSEADDR and SO_REUSEPORT the socket sets before it binds.
    struct Reuse: OptionSet, Sendable {
        let rawValue: Int
        /// SO_REUSEADDR: bind beside TIME_WAIT leftovers — and, on Linux, beside any
        /// non-listening SO_REUSEADDR socket, which is why a port hold must not set it.
        static let address = Reuse(rawValue: 1)
        /// SO_REUSEPORT: bind beside sockets of the same user that set it too, listening or not.
        static let port = Reuse(rawValue: 2)
    }

    /// The socket's descriptor. Once handed to NIO (`ServerBootstrap.withBoundSocket`), the
    /// channel owns it and closes it.
    let descriptor: Int32

    /// Makes a socket with `reuse` and binds it to `address`; throws the `bind(2)` error
    /// (EADDRINUSE when the address is taken), closing the socket first.
    static func bind(_ address: SocketAddress, reuse: Reuse) throws -> BoundSocket {
        let descriptor = socket(address.protocol.rawValue, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        let socket = BoundSocket(descriptor: descriptor)
        let options = [(Reuse.address, SO_REUSEADDR), (Reuse.port, SO_REUSEPORT)].filter { reuse.contains($0.0) }
        var enable: Int32 = 1
        for (_, option) in options
        where setsockopt(descriptor, SOL_SOCKET, option, &enable, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            throw socket.closing(IOError(errnoCode: errno, reason: "setsockopt"))
        }
        guard address.withSockAddr({ Glibc.bind(descriptor, $0, socklen_t($1)) }) == 0 else {
            throw socket.closing(IOError(errnoCode: errno, reason: "bind \(address)"))
        }
        return socket
    }

    /// Starts listening (closing the socket if that fails).
    func listen(backlog: Int32) throws {
        guard Glibc.listen(descriptor, backlog) == 0 else {
            throw closing(IOError(errnoCode: errno, reason: "listen"))
        }
    }

    /// Takes a listening socket out of the LISTEN state: `shutdown(SHUT_RD)` acts on the
    /// socket, not on this descriptor, so it also stops the copies that a child process forked
    /// meanwhile holds until it execs or closes them (a test spawning kcat, say). Closing only
    /// this descriptor would leave such a copy accepting connections, and in the SO_REUSEPORT
    /// group of the port, where it would take connections meant for a restarted listener.
    /// Connections not yet accepted are reset.
    func stopListening() {
        shutdown(descriptor, Int32(SHUT_RD))
    }

    /// Closes the descriptor.
    func close() {
        _ = Glibc.close(descriptor)
    }

    private func closing(_ error: IOError) -> IOError {
        close()
        return error
    }
}
