import ArgumentParser
import Foundation
import KafkaSim
import Logging

/// `khm-bench kafka-sim`: the simulator at scale. Builds a cluster of `--brokers` brokers and
/// `--topics` × `--partitions` partitions (RF 3), starts its listeners, times the encoding of a
/// full Metadata response (v4, as Debian's librdkafka asks, and v12), then times `kcat -L`
/// against it when kcat is installed, and reports the process's peak memory.
struct KafkaSimBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-sim", abstract: "Simulated cluster at scale: start, Metadata encoding, kcat -L, memory.")

    @Option(help: "Brokers.") var brokers = 100
    @Option(help: "Topics.") var topics = 1000
    @Option(help: "Partitions per topic (librdkafka accepts at most 100000).") var partitions = 1000
    @Option(help: "Encodings timed per version.") var iterations = 5

    func run() throws {
        let done = DispatchSemaphore(value: 0)
        let report = Report()
        let (brokers, topics, partitions, iterations) = (self.brokers, self.topics, self.partitions, self.iterations)
        Task {
            do {
                try await Self.measure(brokers: brokers, topics: topics, partitions: partitions,
                                       iterations: iterations, report: report)
            } catch {
                report.lines.append("error: \(error)")
            }
            done.signal()
        }
        done.wait()
        for line in report.lines { print(line) }
    }

    /// Collected output lines (written by one task, read after it ends).
    final class Report: @unchecked Sendable { var lines: [String] = [] }

    static func measure(brokers: Int, topics: Int, partitions: Int, iterations: Int, report: Report) async throws {
        var logger = Logger(label: "khm-bench")
        logger.logLevel = .warning
        let specs = (0..<topics).map { TopicSpec(name: "topic\($0)", partitions: partitions, replicationFactor: 3) }
        let cluster = SimulatedCluster(configuration: .init(brokers: brokers, topics: specs, seed: 1), logger: logger)
        let started = ContinuousClock.now
        try await cluster.start()
        report.lines.append("cluster: \(brokers) brokers, \(topics * partitions) partitions (RF 3); "
                            + "start \(started.duration(to: .now))")
        let model = await cluster.state()
        for version: Int16 in [4, 12] {
            var times: [Duration] = []
            var bytes = 0
            for _ in 0..<iterations {
                let begin = ContinuousClock.now
                bytes = MetadataEncodingBenchmark.encodeAllTopics(model, version: version)
                times.append(begin.duration(to: .now))
            }
            let median = times.sorted()[times.count / 2]
            report.lines.append("encode Metadata v\(version) (all topics): median \(median) over \(iterations), \(bytes) bytes")
        }
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/kcat") {
            let bootstrap = await cluster.bootstrapServers.split(separator: ",").prefix(3).joined(separator: ",")
            let begin = ContinuousClock.now
            let status = try runKcat(bootstrap)
            report.lines.append("kcat -L -J (full metadata, output to /dev/null): \(begin.duration(to: .now)), exit \(status)")
        }
        report.lines.append("peak RSS of this process: \(peakResidentKilobytes()) kB")
        await cluster.shutdown()
    }

    static func runKcat(_ bootstrap: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/kcat")
        process.arguments = ["-L", "-J", "-b", bootstrap, "-m", "120"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// VmHWM from /proc/self/status (0 where there is no /proc).
    static func peakResidentKilobytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}
