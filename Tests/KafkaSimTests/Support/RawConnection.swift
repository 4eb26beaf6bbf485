import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP connection to 127.0.0.1 for sending hand-made (and malformed) frames.
/// Used by one thread at a time (tests hand it to `TestCluster.offPool`), hence unchecked.
final class RawConnection: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }

    private let fd: Int32

    /// Connects, with `timeout` seconds for each later receive.
    init(port: Int, timeout: TimeInterval = 5) throws {
        // The socket is stored only once connected: a class whose init throws after setting
        // every property still runs deinit, which would close the descriptor a second time —
        // by then perhaps another test's socket (this once cut a control-API request).
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let error = errno
            close(fd)
            throw Failure(description: "connect to \(port) failed: errno \(error)")
        }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        self.fd = fd
    }

    deinit { close(fd) }

    /// Sends all of `bytes` (false if the peer already closed).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    /// Ends our side of the stream, as a client that gives up mid-frame.
    func finishWriting() { shutdown(fd, Int32(SHUT_WR)) }

    /// What the peer did next: sent a frame, closed the connection, or nothing in time.
    enum Reply: Equatable, Sendable {
        case frame([UInt8])
        case closed
        case silence
    }

    /// Reads one response frame (without its size prefix), or sees the connection close.
    func receive() -> Reply {
        guard let prefix = read(4) else { return lastReadTimedOut ? .silence : .closed }
        let size = prefix.reduce(0) { $0 << 8 | Int($1) }
        guard let body = read(size) else { return lastReadTimedOut ? .silence : .closed }
        return .frame(body)
    }

    private var lastReadTimedOut = false

    private func read(_ count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = buffer[got...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { got += n; continue }
            lastReadTimedOut = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
            return nil
        }
        return buffer
    }
}
