/// The inverted index of the series in the store: label set ↔ series id, and for every label
/// name and value the postings list of series that carry it. Matchers are answered by
/// intersecting and subtracting postings lists, never by testing every series.
///
/// It also keeps every id in label order (`Labels.<`), the order in which queries return
/// series, so a query sorts integers rather than label sets.
struct SeriesIndex: Sendable {
    /// name → value → ids, each list sorted.
    private(set) var postings: [String: [String: Postings]] = [:]
    private var ids: [Labels: UInt32] = [:]
    /// The label set of each id; nil for a deleted id.
    private(set) var labels: [Labels?] = []
    /// Every live id, ascending.
    private(set) var all: Postings = []
    /// Live ids in label order, ids added since the last `commitOrder()` excluded.
    private var ordered: Postings = []
    private var unordered: Postings = []
    /// The position of each id in `ordered`.
    private var rank: [UInt32] = []

    /// The number of live series.
    var count: Int { ids.count }

    /// One past the largest id ever handed out.
    var bound: Int { labels.count }

    /// The id of a label set, if the index has it.
    func id(of labels: Labels) -> UInt32? { ids[labels] }

    /// Adds a label set and returns its new id (larger than every id before it).
    mutating func add(_ labelSet: Labels) -> UInt32 {
        let id = UInt32(labels.count)
        labels.append(labelSet)
        rank.append(0)
        ids[labelSet] = id
        all.append(id)
        unordered.append(id)
        for label in labelSet { postings[label.name, default: [:]][label.value, default: []].append(id) }
        return id
    }

    /// Removes the given ids (ids are never reused).
    mutating func remove(_ removed: Set<UInt32>) {
        guard !removed.isEmpty else { return }
        var touched: [String: Set<String>] = [:]
        for id in removed {
            guard let labelSet = labels[Int(id)] else { continue }
            ids[labelSet] = nil
            labels[Int(id)] = nil
            for label in labelSet { touched[label.name, default: []].insert(label.value) }
        }
        for (name, values) in touched {
            for value in values {
                let kept = postings[name]?[value]?.filter { !removed.contains($0) } ?? []
                postings[name]?[value] = kept.isEmpty ? nil : kept
            }
            if postings[name]?.isEmpty == true { postings[name] = nil }
        }
        all.removeAll { removed.contains($0) }
        unordered.removeAll { removed.contains($0) }
        ordered.removeAll { removed.contains($0) }
        updateRanks()
    }

    /// Merges the ids added since the last call into the label order.
    mutating func commitOrder() {
        guard !unordered.isEmpty else { return }
        let fresh = unordered.sorted { labels[Int($0)]! < labels[Int($1)]! }
        unordered = []
        var merged = Postings()
        merged.reserveCapacity(ordered.count + fresh.count)
        var i = 0, j = 0
        while i < ordered.count || j < fresh.count {
            if j == fresh.count || (i < ordered.count && labels[Int(ordered[i])]! < labels[Int(fresh[j])]!) {
                merged.append(ordered[i]); i += 1
            } else {
                merged.append(fresh[j]); j += 1
            }
        }
        ordered = merged
        updateRanks()
    }

    private mutating func updateRanks() {
        for (position, id) in ordered.enumerated() { rank[Int(id)] = UInt32(position) }
    }

    /// `ids` (ascending) rearranged into label order. Call `commitOrder()` first.
    func inLabelOrder(_ ids: Postings) -> Postings {
        precondition(unordered.isEmpty, "commitOrder() must run before ordering a selection")
        if ids.count * 16 < ordered.count {
            return ids.sorted { rank[Int($0)] < rank[Int($1)] }
        }
        // A large selection: walk the whole order once, keeping the selected ids.
        var selected = [UInt64](repeating: 0, count: (bound + 63) / 64)
        for id in ids { selected[Int(id) >> 6] |= 1 << UInt64(id & 63) }
        return ordered.filter { selected[Int($0) >> 6] & (1 << UInt64($0 & 63)) != 0 }
    }

    /// The ids (ascending) of the series that satisfy every matcher.
    ///
    /// A matcher that rejects the empty string needs the label: it contributes the union of
    /// its matching values' postings, intersected with the others. A matcher that accepts the
    /// empty string also keeps series without the label: it subtracts the postings of the
    /// values it rejects. With no matcher of the first kind, the start is every series.
    func select(_ matchers: [LabelMatcher]) -> Postings {
        var result: Postings?
        var exclusions: [Postings] = []
        for matcher in matchers {
            if matcher.matchesEmpty {
                let rejected = values(of: matcher.name, where: matcher, matching: false)
                if !rejected.isEmpty { exclusions.append(merge(rejected, bound: bound)) }
            } else {
                let accepted = merge(values(of: matcher.name, where: matcher, matching: true), bound: bound)
                result = result.map { intersect($0, accepted) } ?? accepted
                if result!.isEmpty { return [] }
            }
        }
        var selected = result ?? all
        for excluded in exclusions { selected = subtract(selected, excluded) }
        return selected
    }

    /// The postings lists of the values of `name` for which `matcher.matches(value) == matching`,
    /// looking values up directly when the matcher names them (`=`, `!=`, literal alternations).
    private func values(of name: String, where matcher: LabelMatcher, matching: Bool) -> [Postings] {
        guard let byValue = postings[name] else { return [] }
        let named: [String]?
        switch (matcher.kind, matching) {
        case (.equal, true), (.notEqual, false): named = [matcher.value]
        case (.regexMatch, true), (.regexNoMatch, false): named = matcher.literalAlternatives
        default: named = nil
        }
        if let named {
            return Set(named).compactMap { byValue[$0] }
        }
        return byValue.compactMap { value, list in matcher.matches(value) == matching ? list : nil }
    }
}
