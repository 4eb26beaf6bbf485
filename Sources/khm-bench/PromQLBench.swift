import ArgumentParser
import PromQL
import TimeSeries

/// `khm-bench promql`: instant evaluation of the alert expressions of
/// `rules/kafka-ha.rules.yml` over a store holding every partition's series with an hour of
/// history (issue 5's target: all rules in under 20 ms for 100k partitions).
struct PromQLBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promql", abstract: "PromQL engine: the alert expressions over 100k partitions.")

    @Option(help: "Number of partitions (one ISR-shrink counter each).") var partitions = 100_000
    @Option(help: "Partitions per topic.") var partitionsPerTopic = 100
    @Option(help: "Collection interval in seconds.") var interval = 30
    @Option(help: "Duration of history in seconds.") var duration = 3600
    @Option(help: "Runs per expression (the fastest counts).") var runs = 10
    @Flag(help: "Also time the store's reads alone.") var profile = false

    /// The alert expressions of rules/kafka-ha.rules.yml.
    static let expressions = [
        "kafka_up == 0",
        "kafka_broker_online == 0",
        "count(kafka_broker_online == 1) < count(kafka_broker_online)",
        "kafka_under_replicated_partitions{topic=\"__total__\"} > 0",
        "kafka_offline_partitions{topic!=\"__total__\"} > 0",
        "kafka_under_min_isr_partitions{topic!=\"__total__\"} > 0",
        "sum(rate(kafka_isr_shrink_events_total[5m])) * 60 > 0.1",
    ]

    /// Other shapes over all 100k series, to watch grouping, matching and selectors.
    static let otherShapes = [
        "sum by (topic) (rate(kafka_isr_shrink_events_total[5m]))",
        "rate(kafka_isr_shrink_events_total[5m]) * 60 > 0.1",
        "count by (topic) (kafka_isr_shrink_events_total > 0)",
        "kafka_isr_shrink_events_total - kafka_isr_shrink_events_total offset 5m > 0",
        "max_over_time(kafka_under_replicated_partitions[1h:1m])",
    ]

    func run() throws {
        let store = Store(retention: Int64(duration) * 1000)
        let end = load(into: store)
        print("khm-bench promql: \(partitions) partitions, \(partitions / partitionsPerTopic) topics, \(interval) s interval, \(duration) s of history")
        print("times are thread CPU time, fastest of \(runs) (wall-clock time in brackets)")
        let engine = Engine()
        var total = Timing(cpu: .zero, wall: .zero)
        for source in Self.expressions {
            let timing = try measure(source, engine, store, end)
            total.cpu += timing.cpu
            total.wall += timing.wall
        }
        print("  \(milliseconds(total))  all \(Self.expressions.count) expressions")
        print("other shapes:")
        for source in Self.otherShapes { _ = try measure(source, engine, store, end) }
        let rangeExpr = try PromQLParser.parse("sum(rate(kafka_isr_shrink_events_total[5m]))")
        let ranged = Timing.measure {
            _ = try? engine.range(rangeExpr, start: end - 3_600_000 + 300_000, end: end, step: 60_000, querier: store)
        }
        print("  \(milliseconds(ranged))  range query, 56 steps of 1 m: sum(rate(kafka_isr_shrink_events_total[5m]))")
        if profile {
            let matcher = try LabelMatcher(.equal, "__name__", "kafka_isr_shrink_events_total")
            let select = (0..<runs).map { _ in Timing.measure { _ = store.select([matcher], mint: end - 300_000, maxt: end) } }.min { $0.cpu < $1.cpu }!
            print("  \(milliseconds(select))  store.select of the counters' 5 m window")
            var count = 0
            let stream = (0..<runs).map { _ in Timing.measure { store.forEachSeries(matching: [matcher], mint: end - 300_000, maxt: end) { _, s in count += s.count } } }.min { $0.cpu < $1.cpu }!
            print("  \(milliseconds(stream))  store.forEachSeries of the counters' 5 m window")
        }
    }

    /// Evaluates `source` `runs` times and prints the fastest run.
    private func measure(_ source: String, _ engine: Engine, _ store: Store, _ end: Int64) throws -> Timing {
        let expr = try PromQLParser.parse(source)
        var result = 0
        let timing = (0..<runs).map { _ in
            Timing.measure {
                if case .vector(let elements) = try? engine.instant(expr, at: end, querier: store) { result = elements.count }
            }
        }.min { $0.cpu < $1.cpu }!
        print("  \(milliseconds(timing))  \(result) result(s)  \(source)")
        return timing
    }

    /// One collection every `interval` seconds: per-partition counters that grow now and
    /// then, per-topic gauges, three brokers (one offline in the last 10 minutes).
    private func load(into store: Store) -> Int64 {
        var random = SplitMix64(seed: 7)
        let topics = partitions / partitionsPerTopic
        let counters = (0..<partitions).map { id in
            Labels(["__name__": "kafka_isr_shrink_events_total", "topic": "topic-\(id / partitionsPerTopic)",
                    "partition": "\(id % partitionsPerTopic)"])
        }
        var gauges: [Labels] = []
        for name in ["kafka_under_replicated_partitions", "kafka_offline_partitions", "kafka_under_min_isr_partitions"] {
            gauges += (0..<topics).map { Labels(["__name__": name, "topic": "topic-\($0)"]) }
            gauges.append(Labels(["__name__": name, "topic": "__total__"]))
        }
        let brokers = (1...3).map { Labels(["__name__": "kafka_broker_online", "broker_id": "\($0)", "host": "kafka-\($0)", "port": "9092"]) }
        var counterValues = [Double](repeating: 0, count: partitions)
        let start: Int64 = 1_700_000_000_000
        let steps = duration / interval
        for step in 0..<steps {
            let late = step >= steps - 600 / interval
            for i in counterValues.indices where random.next() % 5000 == 0 { counterValues[i] += 1 }
            var batch = zip(counters, counterValues).map { ($0, $1) }
            batch += gauges.map { ($0, late && random.next() % 10 == 0 ? 1.0 : 0.0) }
            batch += brokers.enumerated().map { ($1, late && $0 == 2 ? 0.0 : 1.0) }
            batch.append((Labels(["__name__": "kafka_up"]), 1))
            store.append(source: "bench", timestamp: start + Int64(step * interval) * 1000, samples: batch)
        }
        return start + Int64((steps - 1) * interval) * 1000
    }

    private func milliseconds(_ timing: Timing) -> String {
        func ms(_ duration: Duration) -> String {
            let value = (Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18) * 1000
            return "\((value * 100).rounded() / 100)"
        }
        return ms(timing.cpu) + " ms [" + ms(timing.wall) + " ms]"
    }
}
