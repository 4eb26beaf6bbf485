import Foundation
import Hummingbird

/// The parameters of an API request: the URL's query string, plus the form body of a POST
/// (`application/x-www-form-urlencoded`), as Prometheus accepts both.
struct APIParameters: Sendable {
    private var values: [String: [String]] = [:]

    /// Reads the query string and, for a form POST, the body (at most 1 MiB).
    static func read(_ request: Request) async throws -> APIParameters {
        var parameters = APIParameters()
        if let query = request.uri.query { parameters.add(form: query) }
        if request.method == .post,
           request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false {
            let body = try await request.body.collect(upTo: 1 << 20)
            parameters.add(form: String(buffer: body))
        }
        return parameters
    }

    /// Adds `a=1&b=2` pairs (percent-decoded, `+` as space).
    mutating func add(form: String) {
        for pair in form.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            values[decode(parts[0]), default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The first value of `name`.
    subscript(name: String) -> String? { values[name]?.first }

    /// Every value of `name` (`match[]`).
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// `name` as a time in milliseconds: RFC 3339 or Unix seconds with a fraction; `fallback`
    /// when absent. Throws `APIError.badData` when it is neither.
    func time(_ name: String, default fallback: Int64?) throws(APIError) -> Int64 {
        guard let text = self[name], !text.isEmpty else {
            guard let fallback else { throw APIError.badData("missing parameter \"\(name)\"") }
            return fallback
        }
        if let seconds = Double(text), seconds.isFinite { return Int64((seconds * 1000).rounded()) }
        if let date = Self.rfc3339(text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        throw APIError.badData("invalid parameter \"\(name)\": cannot parse \"\(text)\" to a valid timestamp")
    }

    /// `name` as a duration in milliseconds: seconds with a fraction, or `30s`, `5m`, ….
    func duration(_ name: String) throws(APIError) -> Int64 {
        guard let text = self[name], !text.isEmpty else { throw APIError.badData("missing parameter \"\(name)\"") }
        if let seconds = Double(text), seconds.isFinite { return Int64((seconds * 1000).rounded()) }
        if let duration = PrometheusDuration.parse(text) { return Int64(duration / .milliseconds(1)) }
        throw APIError.badData("invalid parameter \"\(name)\": cannot parse \"\(text)\" to a valid duration")
    }

    private static func rfc3339(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}

/// An API failure as Prometheus reports it: `{"status":"error","errorType":…,"error":…}`.
struct APIError: Error, Sendable {
    let type: String
    let message: String
    let status: HTTPResponse.Status

    /// A malformed request (400).
    static func badData(_ message: String) -> APIError { APIError(type: "bad_data", message: message, status: .badRequest) }
    /// A query that failed while evaluating (422).
    static func execution(_ message: String) -> APIError {
        APIError(type: "execution", message: message, status: .unprocessableContent)
    }
}
