import Foundation
import Testing
@testable import Notify

@Suite("Retry policy")
struct RetryPolicyTests {
    private let policy = RetryPolicy(initial: 1, maximum: 300, maximumRetryAfter: 3600)

    private func response(_ status: Int, retryAfter: String? = nil, body: String = "") -> CurlSession.Outcome {
        .response(status: status, retryAfter: retryAfter, body: Data(body.utf8))
    }

    @Test("status codes decide delivered, retried or rejected", arguments: [
        (200, RetryPolicy.Verdict.delivered), (204, .delivered),
        (400, .reject(reason: "HTTP 400: bad json")), (404, .reject(reason: "HTTP 404: bad json")),
        (301, .reject(reason: "HTTP 301: bad json")),
        (408, .retry(after: 4, reason: "HTTP 408: bad json")), (500, .retry(after: 4, reason: "HTTP 500: bad json")),
        (502, .retry(after: 4, reason: "HTTP 502: bad json")), (429, .retry(after: 4, reason: "HTTP 429: bad json")),
        (503, .retry(after: 4, reason: "HTTP 503: bad json")),
    ])
    func statuses(status: Int, verdict: RetryPolicy.Verdict) {
        // attempt 3 with jitter 0.5 (×1.0): 1 s × 2² = 4 s
        #expect(policy.verdict(response(status, body: "bad json\nsecond line"), attempt: 3, now: epoch, random: 0.5) == verdict)
    }

    @Test("transport errors are retried with backoff")
    func transport() {
        #expect(policy.verdict(.transportError("Couldn't connect to server"), attempt: 1, now: epoch, random: 0.5)
            == .retry(after: 1, reason: "Couldn't connect to server"))
    }

    @Test("backoff doubles, is capped, and jitters by ±20 %", arguments: [
        (1, 0.5, 1.0), (2, 0.5, 2.0), (9, 0.5, 256.0), (10, 0.5, 300.0), (60, 0.5, 300.0),
        (1, 0.0, 0.8), (1, 0.999_999, 1.2), (10, 0.0, 240.0),
    ])
    func backoff(attempt: Int, random: Double, seconds: Double) {
        #expect(abs(policy.backoff(attempt: attempt, random: random) - seconds) < 1e-4)
    }

    @Test("Retry-After on 429 and 503 wins over backoff, as seconds or as an HTTP date", arguments: [
        (429, "7", 7.0), (503, "120", 120.0), (429, "Fri, 15 Jan 2027 08:00:30 GMT", 30.0),
        (429, "999999", 3600.0), (503, "soon", 1.0),
    ])
    func retryAfter(status: Int, header: String, seconds: Double) {
        #expect(policy.verdict(response(status, retryAfter: header), attempt: 1, now: epoch, random: 0.5)
            == .retry(after: seconds, reason: "HTTP \(status)"))
    }

    @Test("Retry-After is ignored on other statuses")
    func retryAfterOnlyOn429And503() {
        #expect(policy.verdict(response(500, retryAfter: "60"), attempt: 1, now: epoch, random: 0.5)
            == .retry(after: 1, reason: "HTTP 500"))
    }
}
