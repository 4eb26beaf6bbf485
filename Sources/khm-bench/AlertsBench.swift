import Alerts
import ArgumentParser
import Foundation
import PromQL
import TimeSeries

/// `khm-bench alerts`: evaluates every group of a rule file (default rules/kafka-ha.rules.yml)
/// over a store holding the exporter's metric families for many partitions with an hour of
/// history, and prints the time per evaluation of all groups (issue 5's target: < 20 ms for
/// 100k partitions).
struct AlertsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Rule evaluation over a large store.")

    @Option(help: "Number of partitions.") var partitions = 100_000
    @Option(help: "Partitions per topic.") var partitionsPerTopic = 100
    @Option(help: "Collection interval in seconds.") var interval = 30
    @Option(help: "History in seconds.") var history = 3600
    @Option(help: "Evaluations to time.") var evaluations = 20
    @Option(help: "Rule file to evaluate.") var rules = "rules/kafka-ha.rules.yml"

    func run() throws {
        let store = Store(retention: Int64(history + interval * (evaluations + 2)) * 1000)
        var cluster = SyntheticClusterSeries(partitions: partitions, partitionsPerTopic: partitionsPerTopic)
        let start: Int64 = 1_700_000_000_000
        let steps = history / interval
        let setup = ContinuousClock().measure {
            for step in 0...steps {
                cluster.advance(step: step, of: steps)
                store.append(source: "exporter", timestamp: start + Int64(step * interval) * 1000, samples: cluster.samples)
            }
        }
        print("khm-bench alerts: \(cluster.samples.count) series (\(partitions) partitions, \(partitions / partitionsPerTopic) topics), "
            + "\(steps + 1) samples each (\(history) s at \(interval) s); loaded in \(setup)")
        let manager = RuleManager(options: RuleGroup.Options(
            query: EngineQuery.function(engine: Engine(), querier: store), appender: store))
        if case .failure(let errors) = manager.update(files: [rules], at: start) {
            throw ValidationError("\(errors)")
        }
        var wall: [Double] = [], cpu: [Double] = []
        for index in 0..<evaluations {
            let step = steps + 1 + index
            cluster.advance(step: step, of: steps)
            let timestamp = start + Int64(step * interval) * 1000
            store.append(source: "exporter", timestamp: timestamp, samples: cluster.samples)
            let timing = Timing.measure { manager.evaluate(at: timestamp) }
            wall.append(Self.milliseconds(timing.wall))
            cpu.append(Self.milliseconds(timing.cpu))
        }
        let rulesCount = manager.groups.reduce(0) { $0 + $1.status.rules.count }
        let failures = manager.groups.flatMap(\.status.rules).filter { $0.health == .err }
        for rule in failures { print("  rule \(rule.name) failed: \(rule.lastError ?? "")") }
        print("evaluation of \(manager.groups.count) groups (\(rulesCount) rules), \(evaluations) runs: "
            + "median \(Self.format(Self.median(cpu))) ms CPU (\(Self.format(Self.median(wall))) ms wall), "
            + "min \(Self.format(cpu.min() ?? 0)) ms, max \(Self.format(cpu.max() ?? 0)) ms")
        for rule in manager.groups.flatMap(\.status.rules) {
            print("  \(rule.name): \(Self.format(rule.lastDurationSeconds * 1000)) ms (last evaluation, wall)")
        }
        let last = start + Int64((steps + evaluations) * interval) * 1000
        let matcher = try LabelMatcher(.equal, Labels.metricName, "kafka_isr_shrink_events_total")
        var selected = 0
        let read = Timing.measure { selected = store.select([matcher], mint: last - 300_000, maxt: last).count }
        let expr = try PromQLParser.parse("rate(kafka_isr_shrink_events_total[5m])")
        let rate = Timing.measure { _ = try? Engine().instant(expr, at: last, querier: store) }
        print("  for comparison: rate(kafka_isr_shrink_events_total[5m]) alone \(Self.format(Self.milliseconds(rate.cpu))) ms CPU; "
            + "Store.select of those \(selected) series' 5m window \(Self.format(Self.milliseconds(read.cpu))) ms CPU")
        let firing = manager.alerts.filter { $0.state == .firing }.map { $0.labels["alertname"] ?? "" }
        print("alerts firing at the end: \(Set(firing).sorted().joined(separator: ", "))")
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}

/// The exporter's metric families for a 3-broker cluster: broker 2 stops half-way through
/// the history, so that every rule has work (ISR shrinks on its partitions, under-replication).
struct SyntheticClusterSeries {
    let partitions: Int
    let partitionsPerTopic: Int
    private(set) var samples: [(Labels, Double)] = []
    private var shrinks: [Double]
    private var random = SplitMix64(seed: 5)
    private let partitionLabels: [(shrink: Labels, expand: Labels)]
    private let topics: [String]

    init(partitions: Int, partitionsPerTopic: Int) {
        self.partitions = partitions
        self.partitionsPerTopic = partitionsPerTopic
        shrinks = Array(repeating: 0, count: partitions)
        topics = (0..<max(1, partitions / partitionsPerTopic)).map { "topic-\($0)" }
        partitionLabels = (0..<partitions).map { id in
            let topic = "topic-\(id / partitionsPerTopic)", partition = "\(id % partitionsPerTopic)"
            return (Labels(["__name__": "kafka_isr_shrink_events_total", "topic": topic, "partition": partition]),
                    Labels(["__name__": "kafka_isr_expand_events_total", "topic": topic, "partition": partition]))
        }
    }

    /// The collection at `step` (of `steps` of history).
    mutating func advance(step: Int, of steps: Int) {
        let brokerDown = step >= steps / 2
        samples.removeAll(keepingCapacity: true)
        samples.append((["__name__": "kafka_up"], 1))
        for broker in 1...3 {
            let online: Double = broker == 2 && brokerDown ? 0 : 1
            samples.append((["__name__": "kafka_broker_online", "broker_id": "\(broker)", "host": "kafka-\(broker)",
                             "port": "\(9091 + broker)"], online))
        }
        samples.append((["__name__": "kafka_cluster_brokers"], brokerDown ? 2 : 3))
        samples.append((["__name__": "kafka_cluster_topics"], Double(topics.count)))
        samples.append((["__name__": "kafka_cluster_partitions"], Double(partitions)))
        for id in 0..<partitions {
            // A third of the partitions have a replica on broker 2: it leaves their ISR once.
            if brokerDown && id % 3 == 1 && shrinks[id] == 0 { shrinks[id] = 1 }
            else if random.next() % 5000 == 0 { shrinks[id] += 1 }
            samples.append((partitionLabels[id].shrink, shrinks[id]))
            samples.append((partitionLabels[id].expand, 0))
        }
        let underReplicatedPerTopic = brokerDown ? Double((partitionsPerTopic + 1) / 3) : 0
        for topic in topics {
            samples.append((["__name__": "kafka_under_replicated_partitions", "topic": topic], underReplicatedPerTopic))
            samples.append((["__name__": "kafka_offline_partitions", "topic": topic], 0))
            samples.append((["__name__": "kafka_under_min_isr_partitions", "topic": topic], 0))
            samples.append((["__name__": "kafka_at_min_isr_partitions", "topic": topic], underReplicatedPerTopic))
        }
        let total = underReplicatedPerTopic * Double(topics.count)
        samples.append((["__name__": "kafka_under_replicated_partitions", "topic": "__total__"], total))
        samples.append((["__name__": "kafka_offline_partitions", "topic": "__total__"], 0))
        samples.append((["__name__": "kafka_under_min_isr_partitions", "topic": "__total__"], 0))
        samples.append((["__name__": "kafka_at_min_isr_partitions", "topic": "__total__"], total))
    }
}
