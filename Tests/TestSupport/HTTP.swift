import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A minimal HTTP client for tests (URLSession, which is libcurl underneath on Linux).
public enum HTTP {
    public struct Response: Sendable {
        public let status: Int
        public let headers: [String: String]
        public let body: String
    }

    /// Sends a request and returns status, headers (lower-cased names) and body.
    ///
    /// Each request gets its own session, so its own connection: `URLSession.shared` would keep
    /// connections alive per host:port across tests, and a later test's server on a reused port
    /// (or one that closed the idle connection meanwhile) would get a request on a stale
    /// connection and the test "Empty reply from server".
    public static func request(_ method: String = "GET", _ url: String, body: String? = nil,
                               headers: [String: String] = [:], timeout: TimeInterval = 10) async throws -> Response {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.timeoutInterval = timeout
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = Data(body.utf8) }
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var lowered: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            lowered["\(name)".lowercased()] = "\(value)"
        }
        return Response(status: http.statusCode, headers: lowered, body: String(decoding: data, as: UTF8.self))
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
}
