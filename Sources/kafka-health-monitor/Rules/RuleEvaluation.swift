import Alerts
import Foundation
import Logging
import PromQL
import ServiceLifecycle
import Synchronization
import TimeSeries

/// The rule files' groups evaluated against the store, as a `Service`: loads the files the
/// patterns name, evaluates due groups (default interval: the collection interval), writes
/// `ALERTS`/`ALERTS_FOR_STATE`/recorded series back into the store, and reloads (on
/// `/-/reload` and SIGHUP, through `ConfigReloader`) keeping the old rules when the new
/// files have errors.
///
/// Groups evaluate at the grid time T of a collection as soon as that collection is stored
/// (`collected(at:)`), so a slow collection (a broker that just died makes librdkafka retry)
/// still gets its own evaluation. A tick evaluates what is due `fallbackLag` after T when no
/// collection reported (collection disabled, or slower than the lag).
final class RuleEvaluation: Service, Sendable {
    /// The manager holding the groups (for `/api/v1/rules`, `/api/v1/alerts`).
    let manager: RuleManager
    private let store: Store
    private let tick: Duration
    private let fallbackLag: Int64
    private let logger: Logger
    private let state: Mutex<ReloadState>

    private struct ReloadState {
        var patterns: [String]
        var files: [String] = []
    }

    /// A manager over `store` whose groups default to `interval` and hand due alerts to `notify`.
    init(patterns: [String], store: Store, interval: Duration, externalURL: String,
         notify: @escaping NotifyFunc, logger: Logger) {
        let milliseconds = max(Int64(interval / .milliseconds(1)), 1)
        manager = RuleManager(
            options: RuleGroup.Options(query: EngineQuery.function(engine: Engine(), querier: store), appender: store,
                                       notify: notify, externalURL: externalURL),
            defaultInterval: milliseconds)
        state = Mutex(ReloadState(patterns: patterns))
        self.store = store
        // Evaluate soon after each aligned time: a fifth of the interval, between 50 ms and 1 s.
        tick = .milliseconds(min(max(milliseconds / 5, 50), 1000))
        // Collections run on the same grid (CollectionLoop) and are stamped with its times;
        // the fallback waits three quarters of an interval (at most 15 s, past the collector's
        // 10 s metadata timeout) for the collection stamped T before evaluating T without it.
        fallbackLag = min(milliseconds * 3 / 4, 15_000)
        self.logger = logger
    }

    /// The rule files currently loaded.
    var files: [String] { state.withLock { $0.files } }

    /// Resolves the patterns (`patterns`, which replace the current ones on success, or the
    /// current ones) and loads the files; on errors nothing changes and the errors
    /// (`file:line:col: message`, all of them) are returned. Raises the store's retention
    /// to what the rules read.
    @discardableResult
    func load(patterns newPatterns: [String]? = nil) -> Result<[String], RuleFileErrors> {
        let patterns = newPatterns ?? state.withLock { $0.patterns }
        let (files, unmatched) = RuleFilePatterns.resolve(patterns)
        for pattern in unmatched { logger.warning("rule file pattern \"\(pattern)\" matches no file") }
        let result = manager.update(files: files, at: RuleManager.wallClock())
        if case .success = result {
            state.withLock { state in
                state.patterns = patterns
                state.files = files
            }
        }
        switch result {
        case .failure(let errors):
            return .failure(errors)
        case .success:
            store.raiseRetention(toAtLeast: RuleRetention.required(by: manager.groups))
            let groups = manager.groups.count, rules = manager.groups.reduce(0) { $0 + $1.definition.rules.count }
            logger.info("loaded \(files.isEmpty ? "no rule files" : files.joined(separator: ", ")): \(groups) groups, \(rules) rules")
            return .success(files)
        }
    }

    /// Evaluates the groups due at `timestamp`, the grid time of a collection now stored.
    func collected(at timestamp: Int64) {
        manager.evaluateDue(at: timestamp)
    }

    /// Evaluates due groups every tick until graceful shutdown, grid time T at T + the
    /// fallback lag unless a collection evaluated it before.
    func run() async throws {
        let manager = manager, tick = tick, lag = fallbackLag
        await cancelWhenGracefulShutdown {
            await manager.run(tick: tick, now: { RuleManager.wallClock() - lag })
        }
    }

    /// The rule metrics in the text format (or OpenMetrics, which names counters without `_total`).
    func metricsText(openMetrics: Bool) -> String {
        var out = ""
        let prefix = "kafka_health_monitor_"
        let failures = prefix + "rule_evaluation_failures" + (openMetrics ? "" : "_total")
        let statuses = manager.groups.map(\.status)
        out += "# HELP \(prefix)rule_group_last_duration_seconds How long the rule group's last evaluation took.\n"
        out += "# TYPE \(prefix)rule_group_last_duration_seconds gauge\n"
        for status in statuses {
            out += "\(prefix)rule_group_last_duration_seconds{rule_group=\"\(Labels.escape(status.file + ";" + status.name))\"} "
                + "\(FloatFormat.shortest(status.lastDurationSeconds))\n"
        }
        out += "# HELP \(failures) Rule evaluations that failed.\n# TYPE \(failures) counter\n"
        for status in statuses {
            out += "\(prefix)rule_evaluation_failures_total{rule_group=\"\(Labels.escape(status.file + ";" + status.name))\"} \(status.failures)\n"
        }
        return out
    }
}
