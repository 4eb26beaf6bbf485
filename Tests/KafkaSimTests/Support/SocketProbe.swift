import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What another program on the machine would see at a port: whether it can connect, and
/// whether it can bind the port itself. Answers are errno values (0 = it worked).
enum SocketProbe {
    /// The socket options another program may set before it binds.
    enum BindOptions: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case plain = "no options"
        case reuseAddress = "SO_REUSEADDR"
        var testDescription: String { rawValue }
    }

    /// Connects to 127.0.0.1:`port` and hangs up: 0, or connect's errno (ECONNREFUSED for a
    /// dead broker).
    static func connectError(port: Int) -> Int32 {
        withSocket { fd in
            withAddress(port: port) { connect(fd, $0, $1) } == 0 ? 0 : errno
        }
    }

    /// Binds a fresh socket to 127.0.0.1:`port` with `options` and closes it: 0, or bind's
    /// errno (EADDRINUSE while the port is held).
    static func bindError(port: Int, options: BindOptions) -> Int32 {
        withSocket { fd in
            var enable: Int32 = 1
            if options == .reuseAddress {
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &enable, socklen_t(MemoryLayout<Int32>.size))
            }
            return withAddress(port: port) { bind(fd, $0, $1) } == 0 ? 0 : errno
        }
    }

    /// A duplicate of this process's socket listening on 127.0.0.1:`port`, as a child process
    /// forked at that moment holds one (the caller closes it), or nil if there is none.
    static func duplicateOfListener(port: Int) -> Int32? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in names.compactMap({ Int32($0) }) where isListener(fd, port: port) {
            let copy = dup(fd)
            // The descriptor may have been closed and reused since it was checked.
            if copy >= 0 && isListener(copy, port: port) { return copy }
            if copy >= 0 { close(copy) }
        }
        return nil
    }

    private static func isListener(_ fd: Int32, port: Int) -> Bool {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0, address.sin_family == sa_family_t(AF_INET),
              Int(UInt16(bigEndian: address.sin_port)) == port else { return false }
        var listening: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0 && listening == 1
    }

    /// Linux's IP_LOCAL_PORT_RANGE (6.3 and later; not in older headers): narrows the ports
    /// the kernel may pick for this socket's ephemeral port.
    private static let ipLocalPortRange: Int32 = 51

    /// Whether this kernel lets a socket narrow its ephemeral range (`IP_LOCAL_PORT_RANGE`).
    static let canNarrowEphemeralRange: Bool = withSocket { narrow($0, to: 40_000) } == 0

    /// Asks the kernel for an ephemeral port that can only be `port` — by binding port 0, or by
    /// connecting to 127.0.0.1:`target` unbound — and hangs up: 0 if the kernel handed out
    /// `port`, else the errno (EADDRINUSE, EADDRNOTAVAIL: it would not).
    static func ephemeralPortError(onlyPort port: Int, connectingTo target: Int? = nil) -> Int32 {
        withSocket { fd in
            guard narrow(fd, to: port) == 0 else { return errno }
            let result = if let target {
                withAddress(port: target) { connect(fd, $0, $1) }
            } else {
                withAddress(port: 0) { bind(fd, $0, $1) }
            }
            return result == 0 ? 0 : errno
        }
    }

    private static func narrow(_ fd: Int32, to port: Int) -> Int32 {
        var range = UInt32(port) << 16 | UInt32(port)
        return setsockopt(fd, Int32(IPPROTO_IP), ipLocalPortRange, &range, socklen_t(MemoryLayout<UInt32>.size)) == 0 ? 0 : errno
    }

    private static func withSocket(_ body: (Int32) -> Int32) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        return body(fd)
    }

    private static func withAddress(port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}
