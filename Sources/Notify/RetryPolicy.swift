import Foundation

/// What to do after one delivery attempt, and when to try again.
///
/// 2xx: delivered. 429 and 503: retry after `Retry-After` (seconds or an HTTP date) when
/// given, else back off. 408, other 5xx and transport errors (refused, timeout): back off.
/// Any other 4xx (and 3xx or other statuses): not retried — the request itself is wrong.
/// Backoff: `initial × 2^(attempt-1)`, capped at `maximum`, with ±20 % jitter.
struct RetryPolicy: Sendable {
    /// The verdict on one attempt.
    enum Verdict: Sendable, Equatable {
        case delivered
        case retry(after: TimeInterval, reason: String)
        case reject(reason: String)
    }

    var initial: TimeInterval
    var maximum: TimeInterval
    /// The longest `Retry-After` honoured (a misbehaving server cannot park us for days).
    var maximumRetryAfter: TimeInterval

    /// The verdict on `outcome`, the `attempt`-th try (1-based), at `now`; `random` gives the
    /// jitter in [0, 1).
    func verdict(_ outcome: CurlSession.Outcome, attempt: Int, now: Date, random: Double) -> Verdict {
        switch outcome {
        case .transportError(let message):
            return .retry(after: backoff(attempt: attempt, random: random), reason: message)
        case .response(let status, let retryAfter, let body):
            let firstLine = String(decoding: body.prefix(512), as: UTF8.self)
                .split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            let reason = "HTTP \(status)" + (firstLine.isEmpty ? "" : ": \(firstLine)")
            switch status {
            case 200..<300:
                return .delivered
            case 429, 503:
                let delay = retryAfter.flatMap { Self.parseRetryAfter($0, now: now) }
                return .retry(after: delay.map { min($0, maximumRetryAfter) } ?? backoff(attempt: attempt, random: random),
                              reason: reason)
            case 408, 500..<600:
                return .retry(after: backoff(attempt: attempt, random: random), reason: reason)
            default:
                return .reject(reason: reason)
            }
        }
    }

    /// The backoff before retry number `attempt` (1-based), jittered by ±20 %.
    func backoff(attempt: Int, random: Double) -> TimeInterval {
        let exponent = Double(min(max(attempt - 1, 0), 40))
        let base = min(maximum, initial * pow(2, exponent))
        return min(maximum, base * (0.8 + 0.4 * random))
    }

    /// `Retry-After` as delay-seconds or an HTTP date (IMF-fixdate), relative to `now`.
    static func parseRetryAfter(_ value: String, now: Date) -> TimeInterval? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed) { return TimeInterval(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE',' dd MMM yyyy HH':'mm':'ss 'GMT'"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
