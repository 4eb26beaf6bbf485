import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Free TCP ports on 127.0.0.1, for servers that tests start.
public enum Ports {
    /// A port that was free a moment ago: bound on 127.0.0.1:0, read back, released.
    public static func free() -> Int {
        let (fd, port) = bound()
        close(fd)
        return port
    }

    /// A socket bound (not listening) on 127.0.0.1 at a port the kernel picked, and that port.
    /// The caller owns the socket (`RefusingPort` keeps it to hold the port).
    public static func bound() -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket() failed")
        // No SO_REUSEADDR: with it, Linux may hand the same port to two bound, non-listening
        // sockets, and a RefusingPort would no longer hold its port.
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Int32 in
                guard bind(fd, raw, length) == 0 else { return -1 }
                return getsockname(fd, raw, &length)
            }
        }
        precondition(bound == 0, "bind/getsockname failed")
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
