import ArgumentParser
import Exporter
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `khm-bench exporter`: time per derive+expose cycle on synthetic clusters of 10k, 100k
/// and 1M partitions, and the exposition's size. Consecutive snapshots alternate between a
/// healthy cluster and one where 1% of partitions lost a follower from their ISR, so the
/// ISR diff does real work; "expose" is what `/metrics` does: render and copy the bytes once
/// into the response buffer. Run on a release build. Reports wall-clock time and the thread's
/// CPU time (the latter is what to compare on a shared, loaded machine).
struct ExporterBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exporter", abstract: "Derive+expose cycle time and exposition size.")

    @Option(help: "Partition counts to measure.")
    var partitions: [Int] = [10_000, 100_000, 1_000_000]
    @Option(help: "Partitions per topic.")
    var perTopic = 100
    @Option(help: "Measured cycles per size (the median is reported).")
    var cycles = 15

    func run() {
        print("partitions  topics  derive_ms  expose_ms  cycle_ms  cycle_cpu_ms  exposition_bytes  samples")
        for count in partitions {
            let healthy = Self.cluster(partitions: count, perTopic: perTopic, degraded: false)
            let degraded = Self.cluster(partitions: count, perTopic: perTopic, degraded: true)
            let deriver = HealthDeriver(expectedBrokers: nil, defaultMinInsyncReplicas: 2)
            var state = HealthState()
            _ = deriver.derive(&state, snapshot: healthy)
            let rounds = count >= 1_000_000 ? max(3, cycles / 3) : cycles
            var derives: [Double] = [], exposes: [Double] = [], cpu: [Double] = [], size = 0, samples = 0
            for round in 0..<rounds {
                let clock = ContinuousClock()
                let cpuStart = Self.threadCPUMilliseconds()
                let start = clock.now
                let derivation = deriver.derive(&state, snapshot: round % 2 == 0 ? degraded : healthy)
                let derived = clock.now
                // As /metrics does: render, then copy the bytes once into the response's buffer.
                let body = MetricsWriter.withRendered(derivation.families, format: .prometheusText) { Array($0) }
                let exposed = clock.now
                cpu.append(Self.threadCPUMilliseconds() - cpuStart)
                derives.append((derived - start) / .milliseconds(1))
                exposes.append((exposed - derived) / .milliseconds(1))
                size = body.count
                samples = derivation.families.reduce(0) { $0 + $1.sampleCount }
            }
            let derive = Self.median(derives), expose = Self.median(exposes)
            print(String(format: "%10d  %6d  %9.1f  %9.1f  %8.1f  %12.1f  %16d  %7d",
                         count, healthy.topics.count, derive, expose, derive + expose, Self.median(cpu), size, samples))
        }
    }

    /// A cluster of 6 brokers with `partitions` partitions of RF 3 in topics of `perTopic`.
    static func cluster(partitions: Int, perTopic: Int, degraded: Bool) -> ClusterSnapshot {
        let brokers = (1...6).map { ClusterSnapshot.Broker(id: Int32($0), host: "kafka-\($0).example", port: 9092) }
        var topics: [ClusterSnapshot.Topic] = []
        var made = 0, topicIndex = 0
        while made < partitions {
            let size = min(perTopic, partitions - made)
            let parts = (0..<size).map { id -> ClusterSnapshot.Partition in
                let first = (made + id) % 6
                let replicas = (0..<3).map { Int32((first + $0) % 6 + 1) }
                let isr = degraded && (made + id) % 100 == 0 ? Array(replicas.prefix(2)) : replicas
                return .init(id: Int32(id), leader: replicas[0], replicas: replicas, isr: isr)
            }
            topics.append(.init(name: "topic-\(topicIndex)", partitions: parts, minInsyncReplicas: 2))
            made += size
            topicIndex += 1
        }
        return ClusterSnapshot(clusterID: "bench", controllerID: 1, brokers: brokers, topics: topics)
    }

    /// CPU time this thread has used, in milliseconds.
    static func threadCPUMilliseconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) * 1000 + Double(spec.tv_nsec) / 1_000_000
    }

    static func median(_ values: [Double]) -> Double {
        values.sorted()[values.count / 2]
    }
}
