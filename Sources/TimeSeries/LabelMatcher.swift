/// A label matcher of PromQL's selectors: `=`, `!=`, `=~`, `!~`.
///
/// Regular expressions are fully anchored, as in Prometheus (`=~"a|b"` means `^(?:a|b)$`).
/// A matcher on a label the series lacks tests the empty string, so `{x=""}` selects series
/// without `x` and `{x!=""}` those with it.
public struct LabelMatcher: Sendable, Hashable, CustomStringConvertible {
    /// The four kinds of matcher.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case regexMatch = "=~"
        case regexNoMatch = "!~"
    }

    public let name: String
    public let kind: Kind
    public let value: String
    private let regex: AnchoredRegex?

    /// For `=~` and `!~`, the exact strings the regex matches when it is a plain alternation
    /// (`a|b|c`), so the index can look them up instead of testing every value.
    var literalAlternatives: [String]? { regex?.alternatives }

    /// Builds a matcher; throws `LabelMatcher.InvalidRegex` when a regex does not compile.
    public init(_ kind: Kind, _ name: String, _ value: String) throws {
        self.name = name
        self.kind = kind
        self.value = value
        switch kind {
        case .equal, .notEqual: regex = nil
        case .regexMatch, .regexNoMatch: regex = try AnchoredRegex(value)
        }
    }

    /// Whether a label value (the empty string for an absent label) satisfies this matcher.
    public func matches(_ labelValue: String) -> Bool {
        switch kind {
        case .equal: return labelValue == value
        case .notEqual: return labelValue != value
        case .regexMatch: return regex!.matches(labelValue)
        case .regexNoMatch: return !regex!.matches(labelValue)
        }
    }

    /// Whether a series' label set satisfies this matcher.
    public func matches(_ labels: Labels) -> Bool {
        matches(labels[name] ?? "")
    }

    /// Whether this matcher selects series that lack the label (it matches the empty string).
    public var matchesEmpty: Bool { matches("") }

    public var description: String {
        "\(name)\(kind.rawValue)\"\(Labels.escape(value))\""
    }

    public static func == (lhs: LabelMatcher, rhs: LabelMatcher) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(kind)
        hasher.combine(value)
    }

    /// The error for a regular expression that does not compile.
    public struct InvalidRegex: Error, CustomStringConvertible {
        public let pattern: String
        public let reason: String
        public var description: String { "invalid regular expression \"\(pattern)\": \(reason)" }
    }
}

/// A compiled, fully anchored regular expression. Swift's `Regex` is not `Sendable`; it is
/// immutable once built, so sharing it across threads is safe.
final class AnchoredRegex: @unchecked Sendable {
    private let regex: Regex<AnyRegexOutput>
    private let literal: String?

    init(_ pattern: String) throws {
        do {
            regex = try Regex("^(?:" + pattern + ")$")
        } catch {
            throw LabelMatcher.InvalidRegex(pattern: pattern, reason: "\(error)")
        }
        // A pattern with no metacharacter is a plain string comparison.
        let meta: Set<Character> = ["\\", ".", "+", "*", "?", "(", ")", "|", "[", "]", "{", "}", "^", "$"]
        literal = pattern.contains(where: meta.contains) ? nil : pattern
        // `a|b|c` with plain alternatives is a set of strings: the index looks them up directly.
        alternatives = pattern.contains(where: { $0 != "|" && meta.contains($0) })
            ? nil : pattern.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
    }

    /// The strings this regex matches, when it is a plain alternation of literals (or one
    /// literal); nil when it is a real pattern.
    let alternatives: [String]?

    func matches(_ value: String) -> Bool {
        if let literal { return value == literal }
        return (try? regex.wholeMatch(in: value)) != nil
    }
}
