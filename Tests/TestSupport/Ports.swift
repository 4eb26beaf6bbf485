import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// TCP ports on 127.0.0.1 for servers that tests start but cannot ask to bind port 0 (child
/// processes, servers that must come up on a port reserved earlier).
///
/// Why not "bind port 0, read it back, close, hand it out": the port goes back to the kernel's
/// ephemeral pool, and until the server binds it the kernel may give it to anyone else in the
/// process asking for port 0 or connecting out — a librdkafka mock broker, a NIO server, a
/// curl connection. Under load that window is wide, and the loser dies with EADDRINUSE (the
/// mock cluster even aborts the process). So ports handed out here come from below the
/// kernel's ephemeral range (`ip_local_port_range`), which the kernel never assigns by itself,
/// each at most once per process; a candidate is only handed out if nothing holds it now.
/// Servers that can bind port 0 themselves should do that instead.
public enum Ports {
    /// A port nothing holds now, that the kernel never hands out on its own and that no other
    /// call in this process gets again (until the pool of thousands wraps around).
    public static func free() -> Int {
        let (fd, port) = bound()
        close(fd)
        return port
    }

    /// A socket bound (not listening) on 127.0.0.1 at a port from `free()`'s pool, and that
    /// port. The caller owns the socket: while bound, connections to it are refused and no
    /// one else can bind it (`RefusingPort` keeps it, then listens on it).
    public static func bound() -> (fd: Int32, port: Int) {
        for _ in 0..<pool.count {
            let port = next()
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            precondition(fd >= 0, "socket() failed")
            // No SO_REUSEADDR: with it, Linux lets a second REUSEADDR socket bind the same
            // port while neither listens, and the port would no longer be held.
            if bind(fd, port: port) == 0 { return (fd, port) }
            close(fd)
        }
        preconditionFailure("no free port in \(pool)")
    }

    /// Binds `fd` to 127.0.0.1:`port`; 0 on success, as `bind(2)`.
    public static func bind(_ fd: Int32, port: Int) -> Int32 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    /// The port `fd` is bound to.
    public static func localPort(of fd: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let read = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        precondition(read == 0, "getsockname failed")
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Ports below the kernel's ephemeral range, above the usual well-known service ports.
    static let pool: Range<Int> = {
        let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8))?
            .split(whereSeparator: \.isWhitespace).compactMap { Int($0) } ?? []
        let ephemeralStart = range.first ?? 32_768
        return 20_000..<max(ephemeralStart, 24_000)
    }()

    /// Walks the pool from a per-process offset (so two test processes on one machine rarely
    /// probe the same ports), never returning a port twice before wrapping around.
    private static let cursor = Mutex<Int>(Int(getpid()) * 7_919 % pool.count)

    private static func next() -> Int {
        cursor.withLock { offset in
            defer { offset = (offset + 1) % pool.count }
            return pool.lowerBound + offset
        }
    }
}
