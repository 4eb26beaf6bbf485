import ArgumentParser
import TimeSeries
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `khm-bench timeseries`: bytes per sample, append throughput and range-read time of the
/// store for many series at a fixed interval (issue 4's targets: ≤0.3 and ≤1.5 bytes/sample
/// for constant gauges and irregular counters, ≥5M samples/s, a 5-minute read of all series
/// under 20 ms).
struct TimeSeriesBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeseries", abstract: "Time-series store: compression, appends, range reads.")

    @Option(help: "Number of series.") var series = 100_000
    @Option(help: "Collection interval in seconds.") var interval = 5
    @Option(help: "Duration of history in seconds.") var duration = 3600
    @Option(help: "Range read in seconds.") var range = 300
    @Option(help: "Workloads to run: any of a, b, c.") var workloads = "abc"
    @Option(help: "Runs of each read; the fastest (by CPU time) is reported.") var reads = 5
    @Flag(inversion: .prefixedNo, help: "Also time `select` (for profiling the streaming read alone: --no-select).")
    var select = true

    /// The three workloads of the issue.
    enum Workload: String, CaseIterable {
        var letter: Character { rawValue.dropFirst().first! }

        case constantGauges = "(a) constant gauges"
        case flippingGauges = "(b) 0/1 gauges flipping now and then"
        case irregularCounters = "(c) irregularly growing counters"

        /// The next value of a series: constant; a flip with probability 1/200 per sample
        /// (about every 17 minutes at 5 s); half the time unchanged, else +1…1000.
        func next(_ value: Double, _ random: inout SplitMix64) -> Double {
            switch self {
            case .constantGauges: return value
            case .flippingGauges: return random.next() % 200 == 0 ? 1 - value : value
            case .irregularCounters: return random.next() % 2 == 0 ? value : value + Double(1 + random.next() % 1000)
            }
        }
    }

    func run() {
        print("khm-bench timeseries: \(series) series, \(interval) s interval, \(duration) s of history")
        print("times are the calling thread's CPU time, the whole process's CPU time in parentheses, and")
        print("wall-clock time in brackets (the machine may be shared); wide reads decode on all cores")
        for workload in Workload.allCases where workloads.contains(workload.letter) {
            measure(workload)
            // Each workload as in a fresh process: the previous store's freed memory goes back
            // to the system instead of scattering the next store's objects among its holes.
            #if canImport(Glibc)
            _ = releaseFreeMemory(0)
            #endif
        }
    }

    private func measure(_ workload: Workload) {
        let store = Store(retention: Int64(duration) * 1000)
        var random = SplitMix64(seed: 42)
        let labels = (0..<series).map { id in
            Labels(["__name__": "kafka_partition_metric", "topic": "topic-\(id / 100)", "partition": "\(id % 100)"])
        }
        var batch = labels.map { ($0, Double(random.next() % 2)) }
        let start: Int64 = 1_700_000_000_000
        let steps = duration / interval
        var appendTime = Duration.zero
        for step in 0..<steps {
            if step > 0 { for i in batch.indices { batch[i].1 = workload.next(batch[i].1, &random) } }
            let timestamp = start + Int64(step * interval) * 1000
            var result = AppendResult()
            appendTime += Timing.measure { result = store.append(source: "bench", timestamp: timestamp, samples: batch) }.cpu
            precondition(result.rejected.isEmpty)
        }
        let stats = store.stats
        let appended = Double(series * steps)
        print("\n\(workload.rawValue)")
        print("  samples held      \(stats.samples) in \(stats.chunks) chunks, \(stats.bytes) bytes")
        print("  bytes/sample      \(format(stats.bytesPerSample, 3))")
        print("  append            \(format(appended / seconds(appendTime) / 1e6, 2))M samples/s (\(format(seconds(appendTime), 2)) s for \(Int(appended)) samples)")
        let end = start + Int64((steps - 1) * interval) * 1000
        let mint = end - Int64(range) * 1000
        let streamed = best(of: reads) {
            var count = 0
            store.forEachSeries(matching: [], mint: mint, maxt: end) { _, samples in count += samples.count }
            precondition(count > 0)
        }
        guard select else {
            print("  \(range) s read of all series: forEachSeries \(milliseconds(streamed))")
            return
        }
        let selected = best(of: reads) { precondition(!store.select([], mint: mint, maxt: end).isEmpty) }
        let oneTopic = try! LabelMatcher(.equal, "topic", "topic-7")
        let selective = best(of: reads) { precondition(store.select([oneTopic], mint: mint, maxt: end).count == 100) }
        print("  \(range) s read of all series: forEachSeries \(milliseconds(streamed)), select \(milliseconds(selected))")
        print("  \(range) s read of one topic (100 series): select \(milliseconds(selective))")
    }

    /// The fastest of `runs` runs, by CPU time, with its wall time.
    private func best(of runs: Int, _ body: () -> Void) -> Timing {
        (0..<runs).map { _ in Timing.measure(body) }.min { $0.cpu < $1.cpu }!
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func milliseconds(_ timing: Timing) -> String {
        format(seconds(timing.cpu) * 1000, 2) + " ms (all threads " + format(seconds(timing.process) * 1000, 2)
            + " ms) [" + format(seconds(timing.wall) * 1000, 2) + " ms]"
    }

    private func format(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        return "\(rounded)"
    }
}

#if canImport(Glibc)
/// glibc's `malloc_trim`, which the Glibc module does not export.
@_silgen_name("malloc_trim")
private func releaseFreeMemory(_ pad: Int) -> Int32
#endif

/// A small deterministic random generator (SplitMix64), so runs are comparable.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// CPU time of the calling thread, CPU time of the whole process (all threads, so work
/// handed to other cores is counted) and wall time of one run of a closure.
struct Timing {
    var cpu: Duration
    var process: Duration = .zero
    var wall: Duration

    static func measure(_ body: () -> Void) -> Timing {
        let clock = ContinuousClock()
        let cpuStart = cpuTime(CLOCK_THREAD_CPUTIME_ID), processStart = cpuTime(CLOCK_PROCESS_CPUTIME_ID)
        let wall = clock.measure(body)
        return Timing(cpu: cpuTime(CLOCK_THREAD_CPUTIME_ID) - cpuStart,
                      process: cpuTime(CLOCK_PROCESS_CPUTIME_ID) - processStart, wall: wall)
    }

    private static func cpuTime(_ clock: clockid_t) -> Duration {
        var spec = timespec()
        clock_gettime(clock, &spec)
        return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
    }
}
