/// One metric family ready for exposition: a name, its help text and type, the names of its
/// labels, and its samples.
///
/// Samples carry their label values positionally (`MetricLabelValues`, at most three, no
/// array per sample) because a 100k-partition cluster yields hundreds of thousands of samples
/// per collection and exposition must stay fast. Per-partition families go further and keep
/// their values in columns per topic (`PartitionColumn`), shared with the deriver's state
/// without a copy; `samples` materializes them on demand.
public struct MetricFamily: Sendable, Equatable {
    /// The metric type, as written on `# TYPE` lines.
    public enum Kind: String, Sendable, Equatable {
        case gauge
        case counter
    }

    /// How the samples are held.
    enum Storage: Sendable, Equatable {
        case rows([MetricSample])
        case partitions([PartitionColumn])
    }

    /// The sample name; a counter's name ends in `_total`.
    public let name: String
    /// The `# HELP` text.
    public let help: String
    /// Gauge or counter.
    public let kind: Kind
    /// The label names, in the order of every sample's values.
    public let labelNames: [String]
    let storage: Storage

    /// Builds a family; at most three label names, and a counter's name ends in `_total`.
    public init(name: String, help: String, kind: Kind, labelNames: [String] = [], samples: [MetricSample] = []) {
        precondition(labelNames.count <= MetricLabelValues.capacity, "at most three labels per family")
        precondition(kind != .counter || name.hasSuffix("_total"), "counter names end in _total")
        self.name = name
        self.help = help
        self.kind = kind
        self.labelNames = labelNames
        storage = .rows(samples)
    }

    /// Builds a family labelled `topic` and `partition` from per-topic columns.
    public init(name: String, help: String, kind: Kind, partitionColumns: [PartitionColumn]) {
        precondition(kind != .counter || name.hasSuffix("_total"), "counter names end in _total")
        self.name = name
        self.help = help
        self.kind = kind
        labelNames = ["topic", "partition"]
        storage = .partitions(partitionColumns)
    }

    /// The samples, in exposition order (materialized for column families: not for hot paths).
    public var samples: [MetricSample] {
        switch storage {
        case .rows(let rows): return rows
        case .partitions(let columns):
            return columns.flatMap { column in
                column.values.indices.filter { column.present[$0] }.map {
                    MetricSample(MetricLabelValues(column.topic, String($0)), column.values[$0])
                }
            }
        }
    }

    /// How many samples the family has.
    public var sampleCount: Int {
        switch storage {
        case .rows(let rows): return rows.count
        case .partitions(let columns): return columns.reduce(0) { $0 + $1.present.count { $0 } }
        }
    }

    /// The value of the sample whose label values are `values`, if any (for tests and logs).
    public func value(_ values: String...) -> Double? {
        samples.first { $0.labels.values == values }?.value
    }
}

/// One topic's values of a per-partition family, indexed by partition id.
public struct PartitionColumn: Sendable, Equatable {
    /// The topic name.
    public let topic: String
    /// Whether partition id `i` exists (ids can have gaps).
    public let present: [Bool]
    /// The value of partition id `i` (meaningless where not present).
    public let values: [Double]

    /// A column; `present` and `values` have one entry per partition id.
    public init(topic: String, present: [Bool], values: [Double]) {
        precondition(present.count == values.count, "one presence flag per value")
        self.topic = topic
        self.present = present
        self.values = values
    }
}

/// One sample of a family: label values in the family's label-name order, and a value.
public struct MetricSample: Sendable, Equatable {
    /// The label values.
    public var labels: MetricLabelValues
    /// The sample value.
    public var value: Double

    /// A sample with up to three label values.
    public init(_ labels: MetricLabelValues, _ value: Double) {
        self.labels = labels
        self.value = value
    }

    /// A sample without labels.
    public init(_ value: Double) {
        self.init(MetricLabelValues(), value)
    }
}

/// Up to three label values stored inline, so that a sample costs no array allocation.
public struct MetricLabelValues: Sendable, Equatable {
    /// The most label values a family may have.
    public static let capacity = 3

    /// How many values are set.
    public let count: Int
    private let first: String
    private let second: String
    private let third: String

    /// No values.
    public init() {
        count = 0
        first = ""
        second = ""
        third = ""
    }

    /// One value.
    public init(_ first: String) {
        count = 1
        self.first = first
        second = ""
        third = ""
    }

    /// Two values.
    public init(_ first: String, _ second: String) {
        count = 2
        self.first = first
        self.second = second
        third = ""
    }

    /// Three values.
    public init(_ first: String, _ second: String, _ third: String) {
        count = 3
        self.first = first
        self.second = second
        self.third = third
    }

    /// The value at `index` (0 ..< count).
    public subscript(index: Int) -> String {
        switch index {
        case 0: return first
        case 1: return second
        default: return third
        }
    }

    /// The values as an array (not for hot paths).
    public var values: [String] { (0..<count).map { self[$0] } }
}
