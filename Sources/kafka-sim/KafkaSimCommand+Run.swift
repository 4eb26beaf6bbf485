import ArgumentParser
import Foundation
import KafkaSim
import Logging

extension KafkaSimCommand {
    /// Validates the flags into a cluster configuration; a bad flag is a `ValidationError`
    /// (one line, exit 2).
    func clusterConfiguration() throws -> SimulatedCluster.Configuration {
        guard brokers >= 1, brokers <= 10_000 else { throw ValidationError("--brokers must be 1…10000, not \(brokers)") }
        var specs: [TopicSpec] = []
        for item in topics.split(separator: ",", omittingEmptySubsequences: true) {
            guard let spec = TopicSpec(argument: String(item)) else {
                throw ValidationError("--topics: \"\(item)\" is not NAME:PARTITIONS:RF")
            }
            specs.append(spec)
        }
        let timing = ReplicationTiming(replicaLagTime: try duration(replicaLagTime, "--replica-lag-time"),
                                       catchUpDelay: try duration(catchUpDelay, "--catch-up-delay"),
                                       preferredLeaderDelay: try duration(preferredLeaderDelay, "--preferred-leader-delay"))
        return SimulatedCluster.Configuration(brokers: brokers, topics: specs, timing: timing, seed: seed)
    }

    /// Parses `--control-address HOST:PORT`.
    func controlEndpoint() throws -> (host: String, port: Int) {
        guard let colon = controlAddress.lastIndex(of: ":"),
              let port = Int(controlAddress[controlAddress.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--control-address: \"\(controlAddress)\" is not HOST:PORT")
        }
        let host = String(controlAddress[..<colon])
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }

    private func duration(_ text: String, _ flag: String) throws -> Duration {
        guard let value = DurationSyntax.parse(text) else {
            throw ValidationError("\(flag): \"\(text)\" is not a duration like 500ms, 10s or 1m")
        }
        return value
    }

    /// Starts the cluster and the control API, prints the bootstrap servers, plays the scenario
    /// if any, and waits for SIGINT or SIGTERM.
    func runSimulator() async throws {
        let configuration = try clusterConfiguration()
        let endpoint = try controlEndpoint()
        let scenarioFile = try scenario.map { try Scenario.load(path: $0) }
        let signals = SignalWaiter(signals: [SIGINT, SIGTERM])
        let logger = Logger(label: "kafka-sim")
        let cluster = SimulatedCluster(configuration: configuration, logger: logger)
        do {
            try await cluster.start()
        } catch let error as SimulatorError {
            throw ValidationError(error.description)
        }
        let control = ControlServer(cluster: cluster, host: endpoint.host, port: endpoint.port, logger: logger)
        let controlPort = try await control.start()
        let bootstrap = await cluster.bootstrapServers
        FileHandle.standardOutput.write(Data("\(bootstrap)\n".utf8))
        logger.info("control API listening", metadata: ["address": "\(endpoint.host):\(controlPort)"])
        let player = scenarioFile.map { file in
            Task { await ScenarioPlayer(scenario: file, cluster: cluster, logger: logger).play() }
        }
        await signals.wait()
        player?.cancel()
        await control.stop()
        await cluster.shutdown()
    }
}

/// Catches a set of signals from the moment it is made (so that one arriving early is not
/// fatal) and lets the caller wait for the first.
final class SignalWaiter: @unchecked Sendable {
    private let lock = NSLock()
    private var arrived = false
    private var waiter: CheckedContinuation<Void, Never>?
    private var sources: [DispatchSourceSignal] = []

    init(signals: [Int32]) {
        let queue = DispatchQueue(label: "kafka-sim.signals")
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak self] in self?.fire() }
            source.resume()
            sources.append(source)
        }
    }

    private func fire() {
        let continuation = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            arrived = true
            defer { waiter = nil }
            return waiter
        }
        continuation?.resume()
    }

    /// Returns once a signal has arrived (at once if one already did).
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = lock.withLock { () -> Bool in
                if arrived { return true }
                waiter = continuation
                return false
            }
            if now { continuation.resume() }
        }
    }
}
