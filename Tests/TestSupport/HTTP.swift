import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client for tests: one TCP connection per request (`Connection: close`),
/// blocking socket calls on a thread of their own.
///
/// Why not URLSession: its shared session pools keep-alive connections per host:port across
/// tests, so a later test's server on a reused port could get a request on a stale connection;
/// and its errors ("Empty reply from server", NSURLErrorDomain -1011) say little. This client
/// sends exactly the bytes below and reads to the close, so every failure it reports names
/// what the server did (refused, closed without a response, cut short, too slow). It is what
/// showed that the control API's "empty replies" were connections closed by a test helper's
/// double close, not by the server.
public enum HTTP {
    public struct Response: Sendable {
        public let status: Int
        public let headers: [String: String]
        public let body: String
    }

    /// Why a request got no response.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Sends a request and returns status, headers (lower-cased names) and body. `timeout`
    /// bounds the whole exchange.
    public static func request(_ method: String = "GET", _ url: String, body: String? = nil,
                               headers: [String: String] = [:], timeout: TimeInterval = 10) async throws -> Response {
        guard let parsed = URL(string: url), parsed.scheme == "http", let host = parsed.host, let port = parsed.port else {
            throw Failure(description: "not an http://host:port URL: \(url)")
        }
        var target = parsed.path.isEmpty ? "/" : parsed.path
        if let query = parsed.query { target += "?" + query }
        let payload = Array((body ?? "").utf8)
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if body != nil || ["POST", "PUT", "PATCH"].contains(method) { head += "Content-Length: \(payload.count)\r\n" }
        let request = Array((head + "\r\n").utf8) + payload
        let raw = try await Blocking.run {
            try exchange(request, host: host, port: port, deadline: Date().addingTimeInterval(timeout))
        }
        return try parse(raw, url: url)
    }

    /// Polls `condition` every `interval` seconds until it holds or `timeout` seconds pass.
    public static func eventually(timeout: TimeInterval, interval: TimeInterval = 0.2,
                                  _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? await condition()) == true { return true }
            try await Task.sleep(nanoseconds: UInt64(interval * 1e9))
        }
        return try await condition()
    }

    /// Connects, sends `request`, and reads until the server closes (or `deadline`).
    private static func exchange(_ request: [UInt8], host: String, port: Int, deadline: Date) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        func arm() throws {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw Failure(description: "timed out talking to \(host):\(port)") }
            var limit = timeval(tv_sec: Int(left), tv_usec: Int((left - left.rounded(.down)) * 1e6) + 1)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        }
        try arm()
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host == "localhost" ? "127.0.0.1" : host)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            throw Failure(description: "connect to \(host):\(port) failed: \(String(cString: strerror(errno)))")
        }
        var sent = 0
        while sent < request.count {
            try arm()
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Failure(description: "send to \(host):\(port) failed: \(String(cString: strerror(errno)))") }
            sent += n
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            try arm()
            let n = recv(fd, &chunk, chunk.count, 0)
            if n > 0 { received += chunk[0..<n]; continue }
            if n == 0 { return received }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure(description: "timed out waiting for \(host):\(port)") }
            // A reset after a complete response (the server closed with unread bytes) is fine.
            if errno == ECONNRESET && !received.isEmpty { return received }
            throw Failure(description: "receive from \(host):\(port) failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Splits a response read to the close into status, headers and (de-chunked) body.
    private static func parse(_ raw: [UInt8], url: String) throws -> Response {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = raw.firstRange(of: separator) else {
            throw Failure(description: raw.isEmpty ? "\(url): the server closed the connection without a response"
                                                   : "\(url): incomplete response head")
        }
        let lines = String(decoding: raw[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/"), let status = Int(statusParts[1]) else {
            throw Failure(description: "\(url): bad status line \(lines[0])")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(raw[end.upperBound...])
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            body = try dechunk(body, url: url)
        } else if let length = headers["content-length"].flatMap({ Int($0) }) {
            guard body.count >= length else { throw Failure(description: "\(url): body cut short at \(body.count) of \(length) bytes") }
            body = Array(body.prefix(length))
        }
        return Response(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    /// Decodes a chunked body.
    private static func dechunk(_ data: [UInt8], url: String) throws -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        let crlf: [UInt8] = [13, 10]
        while true {
            guard let lineEnd = data[index...].firstRange(of: crlf) else { throw Failure(description: "\(url): bad chunk") }
            let sizeText = String(decoding: data[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw Failure(description: "\(url): bad chunk size")
            }
            index = lineEnd.upperBound
            if size == 0 { return out }
            guard index + size <= data.count else { throw Failure(description: "\(url): chunk cut short") }
            out += data[index..<index + size]
            index += size + 2
        }
    }
}
