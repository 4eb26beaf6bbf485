import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for tests that need something to POST to: it records
/// every request and answers as `respond` says (a status, or never). Keep-alive is supported,
/// so clients that reuse connections are exercised. Blocking sockets, one thread per
/// connection; `stop()` shuts everything down and wakes every thread.
public final class HTTPReceiver: @unchecked Sendable {
    /// One received request.
    public struct Request: Sendable {
        /// `POST`, `GET`, …
        public let method: String
        /// The request target, e.g. `/hook`.
        public let path: String
        /// Header names lower-cased.
        public let headers: [String: String]
        /// The body (by `Content-Length`).
        public let body: Data
        /// When the last byte of the body arrived.
        public let receivedAt: Date
        /// Which TCP connection carried it (0, 1, …), to observe keep-alive reuse.
        public let connection: Int
    }

    /// How to answer a request.
    public enum Reply: Sendable {
        case status(Int, headers: [String: String] = [:], body: String = "")
        /// Keep the connection open and never answer.
        case hang
    }

    /// The port it listens on.
    public let port: Int
    private let listener: Int32
    private let lock = NSCondition()
    private var requests: [Request] = []
    private var clients: Set<Int32> = []
    private var listenerClosed = false
    private var stopped = false
    private var connections = 0
    private let respond: @Sendable (Request, Int) -> Reply

    /// Listens on 127.0.0.1:`port`, or by default on a port the kernel picks as it binds (no
    /// window in which someone else could take it); `respond` gets each request and its
    /// 0-based index among all requests received.
    public convenience init(port: Int? = nil,
                            respond: @escaping @Sendable (Request, Int) -> Reply = { _, _ in .status(200) }) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        guard Ports.bind(fd, port: port ?? 0) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        try self.init(boundSocket: fd, respond: respond)
    }

    /// Starts listening on the port `reserved` held (connections were refused until now), so
    /// that a "receiver down, then up" test never lets go of its port in between.
    public convenience init(listeningOn reserved: RefusingPort,
                            respond: @escaping @Sendable (Request, Int) -> Reply = { _, _ in .status(200) }) throws {
        guard let fd = reserved.handOver() else { throw POSIXError(.EBADF) }
        try self.init(boundSocket: fd, respond: respond)
    }

    private init(boundSocket fd: Int32, respond: @escaping @Sendable (Request, Int) -> Reply) throws {
        // Fail before any property is set: a class init that throws later still runs deinit,
        // and stop() would touch a descriptor already closed (perhaps reused by then).
        guard listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        listener = fd
        port = Ports.localPort(of: fd)
        self.respond = respond
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    deinit { stop() }

    /// The requests received so far, in arrival order.
    public var received: [Request] {
        lock.lock(); defer { lock.unlock() }
        return requests
    }

    private var isStopped: Bool {
        lock.lock(); defer { lock.unlock() }
        return stopped
    }

    /// Waits until at least `count` requests arrived or `timeout` seconds passed; returns the
    /// requests received by then. Polls with `Task.sleep`, so a waiting test never blocks a
    /// thread of Swift's cooperative pool (on a 2-core machine that would starve the code
    /// under test of its timers).
    @discardableResult
    public func waitFor(_ count: Int, timeout: TimeInterval) async -> [Request] {
        let deadline = Date().addingTimeInterval(timeout)
        while received.count < count && Date() < deadline {
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        return received
    }

    /// Shuts the listener and every open connection down; the threads blocked on them return
    /// and close them.
    ///
    /// Descriptors are only ever closed by the thread that owns them, under the lock and after
    /// leaving `clients`, and only shut down here under the same lock: a descriptor number is
    /// reused by the next socket anyone opens, and shutting down or closing a stale one would
    /// cut another test's connection.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        lock.broadcast()
        if !listenerClosed { Glibc.shutdown(listener, Int32(SHUT_RDWR)) }
        for fd in clients { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        defer {
            lock.lock()
            close(listener)
            listenerClosed = true
            lock.unlock()
        }
        while true {
            let fd = accept(listener, nil, nil)
            // A signal (SIGCHLD from a test's child process) or an aborted handshake is no reason
            // to stop accepting.
            if fd < 0 && (errno == EINTR || errno == ECONNABORTED) && !isStopped { continue }
            lock.lock()
            if fd < 0 || stopped {
                lock.unlock()
                if fd >= 0 { close(fd) }
                return
            }
            clients.insert(fd)
            let connection = connections
            connections += 1
            lock.unlock()
            Thread.detachNewThread { [self] in serve(fd, connection: connection) }
        }
    }

    private func serve(_ fd: Int32, connection: Int) {
        defer {
            lock.lock()
            clients.remove(fd)
            close(fd)
            lock.unlock()
        }
        var buffer = Data()
        while let request = readRequest(fd, &buffer, connection: connection) {
            lock.lock()
            let index = requests.count
            requests.append(request)
            lock.unlock()
            switch respond(request, index) {
            case .hang:
                lock.lock()
                while !stopped { lock.wait() }
                lock.unlock()
                return
            case .status(let code, let headers, let body):
                var head = "HTTP/1.1 \(code) Status\r\nContent-Length: \(body.utf8.count)\r\n"
                for (name, value) in headers { head += "\(name): \(value)\r\n" }
                let bytes = Array((head + "\r\n" + body).utf8)
                guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else { return }
            }
        }
    }

    /// Reads one request (head and `Content-Length` body); nil at end of stream.
    private func readRequest(_ fd: Int32, _ buffer: inout Data, connection: Int) -> Request? {
        let separator = Data("\r\n\r\n".utf8)
        var chunk = [UInt8](repeating: 0, count: 65_536)
        func fill() -> Bool {
            var count = recv(fd, &chunk, chunk.count, 0)
            while count < 0 && errno == EINTR { count = recv(fd, &chunk, chunk.count, 0) }
            guard count > 0 else { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
        while buffer.range(of: separator) == nil { guard fill() else { return nil } }
        let headEnd = buffer.range(of: separator)!
        let lines = String(decoding: buffer[buffer.startIndex..<headEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let start = lines[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count - (headEnd.upperBound - buffer.startIndex) < length { guard fill() else { return nil } }
        let body = buffer[headEnd.upperBound..<(headEnd.upperBound + length)]
        let request = Request(method: start.first.map(String.init) ?? "", path: start.count > 1 ? String(start[1]) : "",
                              headers: headers, body: Data(body), receivedAt: Date(), connection: connection)
        buffer = Data(buffer[(headEnd.upperBound + length)...])
        return request
    }
}

/// A port on 127.0.0.1 that is bound but not listening: connections to it are refused, and
/// no one else can take it. For "receiver down, then up" tests: `HTTPReceiver(listeningOn:)`
/// then listens on the very same socket, so the port is never free in between.
public final class RefusingPort: @unchecked Sendable {
    /// The reserved port.
    public let port: Int
    private let lock = NSLock()
    private var fd: Int32

    /// Reserves a port from `Ports`' pool.
    public init() {
        (fd, port) = Ports.bound()
    }

    /// Frees the port for a server (a child process, a simulator) that binds it right after.
    /// Safe: `Ports` hands it to no one else, and the kernel never assigns pool ports by itself.
    public func release() {
        if let fd = handOver() { close(fd) }
    }

    /// Gives the bound socket to the caller (nil if already handed over).
    func handOver() -> Int32? {
        lock.withLock {
            defer { fd = -1 }
            return fd >= 0 ? fd : nil
        }
    }

    deinit { if let fd = handOver() { close(fd) } }
}
