import TimeSeries

/// The labels two elements must share to match: those of `on(...)`, or all but those of
/// `ignoring(...)` and the metric name (a `GroupingKey` by another name).
struct MatchSignature {
    let key: GroupingKey

    init(_ matching: VectorMatching) {
        key = GroupingKey(names: matching.labels, without: !matching.on)
    }

    /// The matched labels, for error messages.
    func matchedLabels(_ labels: Labels) -> Labels { key.project(labels) }
}

/// Elements of one side by signature, hashed in place (no label set built per element).
struct SignatureIndex {
    let signature: MatchSignature
    private var buckets: [Int: [Int]] = [:]

    init(_ signature: MatchSignature) {
        self.signature = signature
    }

    /// An index of all `elements` (duplicates allowed: set operators are many-to-many).
    init(_ signature: MatchSignature, all elements: [VectorElement]) {
        self.signature = signature
        for (position, element) in elements.enumerated() {
            buckets[signature.key.hash(element.labels), default: []].append(position)
        }
    }

    /// Adds element `position`; returns the index of an element with the same signature instead.
    mutating func insert(_ position: Int, _ labels: Labels, of elements: [VectorElement]) -> Int? {
        let hash = signature.key.hash(labels)
        if let existing = buckets[hash]?.first(where: { signature.key.sameGroup(elements[$0].labels, labels) }) {
            return existing
        }
        buckets[hash, default: []].append(position)
        return nil
    }

    /// The index of the element whose signature equals that of `labels`.
    func find(_ labels: Labels, in elements: [VectorElement]) -> Int? {
        buckets[signature.key.hash(labels)]?.first { signature.key.sameGroup(elements[$0].labels, labels) }
    }
}
