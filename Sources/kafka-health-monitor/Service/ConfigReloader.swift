import Alerts
import Dispatch
import Foundation
import Logging
import Notify
import ServiceLifecycle
import Synchronization

/// Reloads the configuration on `POST /-/reload` and SIGHUP, as Prometheus and Alertmanager
/// do: re-reads the config file (with the same flags and environment over it), checks all of
/// it — receivers, their secrets, rule files — and only then switches rules and receivers
/// over; with any error nothing changes, the errors are logged and returned as
/// `file:line:col: message` lines, and `kafka_health_monitor_config_last_reload_successful`
/// is 0 until a reload succeeds. Restart-only settings (`RestartOnlySettings`) that changed
/// are reported as needing a restart and keep their running values.
final class ConfigReloader: Service, Sendable {
    /// Resolves the configuration again (config file, environment, flags); throws
    /// `ConfigErrors` or `ConfigError`.
    typealias Source = @Sendable () throws -> MonitorConfiguration

    /// What a successful reload did.
    struct Report: Sendable, Equatable {
        /// The rule files now loaded.
        var ruleFiles: [String]
        /// What happened to each receiver.
        var receivers: ReceiverChanges
        /// Restart-only settings that differ from the running ones (config-file names).
        var needsRestart: [String]

        /// One line for the log and the HTTP answer, plus one for settings needing a restart.
        var description: String {
            let parts = [("added", receivers.added), ("changed", receivers.changed),
                         ("removed, queued notifications still delivered", receivers.removed),
                         ("unchanged", receivers.unchanged)]
                .filter { !$0.1.isEmpty }.map { "\($0.1.count) \($0.0) (\($0.1.joined(separator: ", ")))" }
            var text = "Reloaded the configuration: \(ruleFiles.count) rule files; receivers: "
                + (parts.isEmpty ? "none" : parts.joined(separator: ", ")) + "."
            if !needsRestart.isEmpty {
                text += "\nNeeds restart (the running values stay until then): \(needsRestart.joined(separator: ", "))."
            }
            return text
        }
    }

    private struct Status {
        var lastSuccessful = true
        var lastSuccess = Date()
        var lastErrors: ConfigErrors?
        var needsRestart: [String] = []
    }

    private let running: MonitorConfiguration
    private let source: Source
    private let extraReceivers: [ReceiverConfig]
    private let rules: RuleEvaluation
    private let notifications: NotificationService
    private let logger: Logger
    private let status = Mutex(Status())
    /// Held for a whole reload: two at once (SIGHUP and HTTP) run one after the other.
    private let serial = Mutex(())

    /// A reloader for a monitor started with `running`; `extraReceivers` (the demo's) are
    /// added to the configured ones on every reload.
    init(running: MonitorConfiguration, source: @escaping Source, extraReceivers: [ReceiverConfig],
         rules: RuleEvaluation, notifications: NotificationService, logger: Logger) {
        self.running = running
        self.source = source
        self.extraReceivers = extraReceivers
        self.rules = rules
        self.notifications = notifications
        self.logger = logger
    }

    /// Reloads everything or nothing (see the type's comment) and logs the outcome.
    func reload(reason: String) -> Result<Report, ConfigErrors> {
        serial.withLock { _ in
            let outcome = attempt()
            status.withLock { status in
                switch outcome {
                case .success(let report):
                    status = Status(lastSuccessful: true, lastSuccess: Date(), needsRestart: report.needsRestart)
                case .failure(let errors):
                    status.lastSuccessful = false
                    status.lastErrors = errors
                }
            }
            switch outcome {
            case .success(let report):
                logger.info("\(report.description.split(separator: "\n")[0]) (\(reason))")
                if !report.needsRestart.isEmpty {
                    logger.warning("changed settings need a restart; running with the old values: \(report.needsRestart.joined(separator: ", "))")
                }
            case .failure(let errors):
                logger.error("reload (\(reason)) failed; keeping the previous configuration:\n\(errors)")
            }
            return outcome
        }
    }

    private func attempt() -> Result<Report, ConfigErrors> {
        let loaded: MonitorConfiguration
        do {
            loaded = try source()
        } catch let errors as ConfigErrors {
            return .failure(errors)
        } catch let error as ConfigError {
            return .failure(ConfigErrors(errors: [error]))
        } catch {
            return .failure(ConfigErrors(errors: [ConfigError(location: .flag("config.file"), message: "\(error)")]))
        }
        var errors: [ConfigError] = []
        var prepared: NotificationService.Prepared?
        do {
            let receivers = try ReceiverConfigLoader.load(loaded.receivers, file: loaded.receiversFile) + extraReceivers
            prepared = try notifications.prepare(receivers, nodes: loaded.receivers, file: loaded.receiversFile)
        } catch {
            errors += error.errors
        }
        guard let prepared, errors.isEmpty else {
            return .failure(ConfigErrors(errors: errors + Self.ruleFileErrors(loaded.ruleFiles)))
        }
        switch rules.load(patterns: loaded.ruleFiles) {
        case .failure(let ruleErrors):
            return .failure(ConfigErrors(errors: ruleErrors.errors.map(MonitorApp.configError)))
        case .success(let files):
            let changes = notifications.apply(prepared)
            return .success(Report(ruleFiles: files, receivers: changes,
                                   needsRestart: RestartOnlySettings.changed(from: running, to: loaded)))
        }
    }

    /// The errors of the rule files `patterns` name, checked without loading them (so that a
    /// reload refused for its receivers reports its rule errors too).
    private static func ruleFileErrors(_ patterns: [String]) -> [ConfigError] {
        RuleFilePatterns.resolve(patterns).files.flatMap { file -> [ConfigError] in
            guard case .failure(let errors) = RuleFileLoader.load(path: file) else { return [] }
            return errors.errors.map(MonitorApp.configError)
        }
    }

    /// Reloads on SIGHUP until graceful shutdown.
    func run() async throws {
        signal(SIGHUP, SIG_IGN)
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        hangup.setEventHandler { [self] in _ = reload(reason: "SIGHUP") }
        hangup.resume()
        defer { hangup.cancel() }
        try? await gracefulShutdown()
    }

    /// Whether the last reload succeeded (the start counts as one).
    var lastReloadSuccessful: Bool { status.withLock { $0.lastSuccessful } }

    /// `…_config_last_reload_successful` and `…_config_last_reload_success_timestamp_seconds`
    /// (as Prometheus's), in the text format (the same in OpenMetrics: both are gauges).
    func metricsText(openMetrics: Bool) -> String {
        let (successful, at, restart) = status.withLock { ($0.lastSuccessful, $0.lastSuccess, !$0.needsRestart.isEmpty) }
        let prefix = "kafka_health_monitor_config_last_reload_"
        return """
            # HELP \(prefix)successful Whether the last configuration reload succeeded.
            # TYPE \(prefix)successful gauge
            \(prefix)successful \(successful ? 1 : 0)
            # HELP \(prefix)success_timestamp_seconds When the configuration was last loaded successfully.
            # TYPE \(prefix)success_timestamp_seconds gauge
            \(prefix)success_timestamp_seconds \(Int64(at.timeIntervalSince1970))
            # HELP kafka_health_monitor_config_restart_needed Whether the loaded configuration changes settings that take effect only after a restart.
            # TYPE kafka_health_monitor_config_restart_needed gauge
            kafka_health_monitor_config_restart_needed \(restart ? 1 : 0)

            """
    }

    /// The status page's line on reloads: ok, or the errors of the failed one, and the
    /// settings waiting for a restart.
    func statusSection() -> String {
        let status = status.withLock { $0 }
        var html = "<p>config reload: " + (status.lastSuccessful ? "ok" : "<b>failed</b>")
        if !status.lastSuccessful, let errors = status.lastErrors {
            html += "<pre>\(StatusPage.escape(errors.description))</pre>"
        }
        if !status.needsRestart.isEmpty {
            html += " · <b>needs restart</b> for \(StatusPage.escape(status.needsRestart.joined(separator: ", ")))"
        }
        return html + "</p>"
    }
}
