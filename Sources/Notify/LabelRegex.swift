import Foundation

/// A label-value regex anchored at both ends, as Alertmanager's `match_re` and PromQL's `=~`.
struct LabelRegex: @unchecked Sendable, Hashable {
    // NSRegularExpression is immutable once built and safe to share between threads.
    private let regex: NSRegularExpression
    /// The pattern as written.
    let pattern: String

    init(_ pattern: String) throws {
        self.pattern = pattern
        regex = try NSRegularExpression(pattern: "^(?:\(pattern))$")
    }

    func matches(_ value: String) -> Bool {
        regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
    }

    static func == (lhs: LabelRegex, rhs: LabelRegex) -> Bool { lhs.pattern == rhs.pattern }
    func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}

/// Which alerts a receiver takes: all equality matchers and all regex matchers must hold
/// (a missing label has the empty value, as in Alertmanager).
struct AlertRoute: Sendable {
    let equal: [String: String]
    let regex: [String: LabelRegex]

    /// The route of a validated receiver.
    init(_ config: ReceiverConfig) {
        equal = config.match
        regex = config.matchRE.compactMapValues { try? LabelRegex($0) }
    }

    func accepts(_ labels: [String: String]) -> Bool {
        equal.allSatisfy { labels[$0.key, default: ""] == $0.value }
            && regex.allSatisfy { $0.value.matches(labels[$0.key, default: ""]) }
    }
}
