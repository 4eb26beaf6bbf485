import CCurl
import Foundation

/// One libcurl easy handle, reused for every request of one delivery thread so that
/// connections are kept alive between notifications.
///
/// Blocking: call only from a dedicated delivery thread, never from Swift's cooperative pool.
/// Not thread-safe (a curl easy handle belongs to one thread at a time).
final class CurlSession {
    /// What came back from one POST.
    enum Outcome: Sendable, Equatable {
        /// The server answered with `status`.
        case response(status: Int, retryAfter: String?, body: Data)
        /// No HTTP answer: connection refused, timeout, TLS failure…
        case transportError(String)
    }

    /// A request's settings that stay the same for one receiver.
    struct Settings: Sendable {
        var timeout: TimeInterval
        var headers: [String: String]
        var tls: ReceiverConfig.TLSSettings?
    }

    private let handle: UnsafeMutableRawPointer
    private let buffer = ResponseBuffer()
    /// CURLOPT_ERRORBUFFER: libcurl's detailed message for a failed transfer ("SSL certificate
    /// problem: unable to get local issuer certificate") where `curl_easy_strerror` only names
    /// the error class ("SSL peer certificate or SSH remote key was not OK").
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))

    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    init() {
        _ = Self.globalInit
        guard let handle = curl_easy_init() else { preconditionFailure("curl_easy_init failed (out of memory)") }
        self.handle = handle
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// POSTs `body` as JSON to `url`; blocks until the answer, an error or the timeout.
    func post(url: String, body: Data, settings: Settings, authorization: Secret?) -> Outcome {
        // Every option from its default: a setting that a reload took away (a CA file, a
        // client certificate) must not outlive it in the reused handle. Kept-alive
        // connections survive the reset; libcurl reuses one only if its TLS settings match.
        curl_easy_reset(handle)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        buffer.reset()
        var list: UnsafeMutablePointer<curl_slist>?
        var headerLines = ["Content-Type: application/json", "User-Agent: kafka-health-monitor", "Expect:"]
        headerLines += settings.headers.sorted(by: { $0.key < $1.key }).map { "\($0.key): \($0.value)" }
        if let authorization { headerLines.append("Authorization: \(authorization.value)") }
        for line in headerLines { list = curl_slist_append(list, line) }
        defer { curl_slist_free_all(list) }

        _ = ccurl_easy_setopt_string(handle, CURLOPT_URL, url)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_POST, 1)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_HTTPHEADER, list)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, max(1, Int(settings.timeout * 1000)))
        _ = ccurl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(settings.timeout * 1000)))
        _ = ccurl_easy_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
        applyTLS(settings.tls)
        let context = Unmanaged.passUnretained(buffer).toOpaque()
        _ = ccurl_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, curlCollectBody)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        _ = ccurl_easy_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, curlCollectHeader)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context)

        errorBuffer[0] = 0
        let code = body.withUnsafeBytes { bytes -> CURLcode in
            _ = ccurl_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            _ = ccurl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
            return curl_easy_perform(handle)
        }
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, nil)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_HTTPHEADER, nil)
        guard code == CURLE_OK else {
            return .transportError(transportErrorMessage(code))
        }
        var status = 0
        _ = ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .response(status: status, retryAfter: buffer.retryAfter, body: buffer.body)
    }

    /// The error class, then libcurl's details when it gave any: "Timeout was reached:
    /// Operation timed out after 300 milliseconds with 0 bytes received".
    private func transportErrorMessage(_ code: CURLcode) -> String {
        let summary = String(cString: curl_easy_strerror(code))
        let detail = String(cString: errorBuffer).trimmingCharacters(in: .whitespacesAndNewlines)
        return detail.isEmpty || detail == summary ? summary : "\(summary): \(detail)"
    }

    private func applyTLS(_ tls: ReceiverConfig.TLSSettings?) {
        let verify = (tls?.insecureSkipVerify ?? false) ? 0 : 1
        _ = ccurl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, verify)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, verify == 1 ? 2 : 0)
        if let ca = tls?.caFile { _ = ccurl_easy_setopt_string(handle, CURLOPT_CAINFO, ca) }
        if let cert = tls?.certFile { _ = ccurl_easy_setopt_string(handle, CURLOPT_SSLCERT, cert) }
        if let key = tls?.keyFile { _ = ccurl_easy_setopt_string(handle, CURLOPT_SSLKEY, key) }
    }
}

/// The body and the `Retry-After` header of the response being received.
final class ResponseBuffer {
    var body = Data()
    var retryAfter: String?

    func reset() {
        body.removeAll(keepingCapacity: true)
        retryAfter = nil
    }

    func header(_ line: String) {
        if line.hasPrefix("HTTP/") { retryAfter = nil; return }  // a new response (after 100 Continue)
        guard let colon = line.firstIndex(of: ":") else { return }
        if line[..<colon].lowercased() == "retry-after" {
            retryAfter = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}

/// CURLOPT_WRITEFUNCTION: appends to the `ResponseBuffer` (at most 64 KiB are kept).
private func curlCollectBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                             _ context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let data, let context else { return length }
    let buffer = Unmanaged<ResponseBuffer>.fromOpaque(context).takeUnretainedValue()
    if buffer.body.count < 65_536 {
        buffer.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length)
    }
    return length
}

/// CURLOPT_HEADERFUNCTION: records `Retry-After`.
private func curlCollectHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                               _ context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let data, let context else { return length }
    let bytes = UnsafeRawBufferPointer(start: data, count: length)
    Unmanaged<ResponseBuffer>.fromOpaque(context).takeUnretainedValue().header(String(decoding: bytes, as: UTF8.self))
    return length
}
