import CPrefetch

/// One label: a name and a value. Prometheus's data model: a series is identified by its
/// label set, and the metric name is the label `__name__`.
public struct Label: Hashable, Comparable, Sendable {
    public let name: String
    public let value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public static func < (lhs: Label, rhs: Label) -> Bool {
        lhs.name != rhs.name ? lhs.name < rhs.name : lhs.value < rhs.value
    }
}

/// An immutable label set, sorted by name with unique names and no empty values, as
/// Prometheus keeps them. Comparison is Prometheus's `labels.Compare` order, which is the
/// order in which the engine visits series (float results depend on it).
public struct Labels: Hashable, Comparable, Sendable, RandomAccessCollection, CustomStringConvertible {
    /// The metric-name label.
    public static let metricName = "__name__"

    /// Sorted by name, names unique, values non-empty.
    public let labels: [Label]

    /// Starts loading the storage of `table[index]` into the cache (its header, with the
    /// reference count a copy updates, and its first labels), for wide reads that hand out
    /// many scattered label sets. Reads the element's bits instead of copying it, because
    /// a copy is a retain: the very cache miss to avoid. A hint only: when the layout is not
    /// the expected single reference, it does nothing.
    static func prefetch(_ table: UnsafeBufferPointer<Labels?>, _ index: Int) {
        guard MemoryLayout<Labels?>.size == MemoryLayout<UInt>.size, let base = table.baseAddress,
              index >= 0, index < table.count
        else { return }
        let bits = UnsafeRawPointer(base).load(fromByteOffset: index * MemoryLayout<Labels?>.stride, as: UInt.self)
        guard let object = UnsafeRawPointer(bitPattern: bits) else { return }
        khm_prefetch(object)
        khm_prefetch(object + 32)
    }

    /// The empty label set.
    public init() { labels = [] }

    /// Builds a label set from any pairs; empty values are dropped (Prometheus treats an
    /// empty value as an absent label), and for a repeated name the last pair wins.
    public init(_ pairs: [(String, String)]) {
        var byName: [String: String] = [:]
        for (name, value) in pairs { byName[name] = value }
        labels = byName.filter { !$0.value.isEmpty }.map { Label($0.key, $0.value) }.sorted()
    }

    /// Builds a label set from a dictionary.
    public init(_ dictionary: [String: String]) {
        self.init(dictionary.map { ($0.key, $0.value) })
    }

    /// Builds a label set from labels that are already sorted by name, unique and non-empty.
    public init(sorted: [Label]) {
        precondition(zip(sorted, sorted.dropFirst()).allSatisfy { $0.name < $1.name },
                     "labels must be sorted by name and unique")
        labels = sorted
    }

    public var startIndex: Int { labels.startIndex }
    public var endIndex: Int { labels.endIndex }
    public subscript(position: Int) -> Label { labels[position] }

    /// The value of the label `name`, or nil when the set has no such label.
    public subscript(name: String) -> String? {
        // Sets are small (a handful of labels): a linear scan beats a binary search here.
        for label in labels where label.name == name { return label.value }
        return nil
    }

    /// The metric name (`__name__`), if any.
    public var name: String? { self[Labels.metricName] }

    /// This set with `name` set to `value`; an empty value removes the label.
    public func setting(_ name: String, to value: String) -> Labels {
        var kept = labels.filter { $0.name != name }
        if !value.isEmpty {
            let index = kept.firstIndex { $0.name > name } ?? kept.endIndex
            kept.insert(Label(name, value), at: index)
        }
        return Labels(sorted: kept)
    }

    /// This set without the given names.
    public func removing(_ names: Set<String>) -> Labels {
        Labels(sorted: labels.filter { !names.contains($0.name) })
    }

    /// This set reduced to the given names.
    public func keeping(_ names: Set<String>) -> Labels {
        Labels(sorted: labels.filter { names.contains($0.name) })
    }

    /// This set without `__name__`.
    public var droppingMetricName: Labels { removing([Labels.metricName]) }

    /// A hash that is the same in every process and every run (unlike `hashValue`): FNV-1a
    /// 64 over `name 0xff value 0xff …`, for fingerprints and persisted indexes.
    public var stableHash: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        for label in labels {
            for byte in label.name.utf8 { mix(byte) }
            mix(0xff)
            for byte in label.value.utf8 { mix(byte) }
            mix(0xff)
        }
        return hash
    }

    /// Prometheus's `labels.Compare`: label by label, name first, then value; a prefix sorts first.
    public static func < (lhs: Labels, rhs: Labels) -> Bool {
        for (left, right) in zip(lhs.labels, rhs.labels) {
            if left.name != right.name { return left.name < right.name }
            if left.value != right.value { return left.value < right.value }
        }
        return lhs.labels.count < rhs.labels.count
    }

    /// `name{a="1", b="2"}` as Prometheus prints a series, with values escaped.
    public var description: String {
        let rest = labels.filter { $0.name != Labels.metricName }
            .map { "\($0.name)=\"\(Labels.escape($0.value))\"" }
            .joined(separator: ", ")
        return (name ?? "") + "{" + rest + "}"
    }

    /// Escapes a label value for the text formats: backslash, double quote and newline.
    public static func escape(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}

extension Labels: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }
}
