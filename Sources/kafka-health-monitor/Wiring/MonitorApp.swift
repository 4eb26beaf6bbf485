import Alerts
import Exporter
import Foundation
import Logging
import Notify
import ServiceLifecycle
import Synchronization

/// The whole product wired from one configuration: the exporter's service (store,
/// collector, HTTP), the rule groups evaluated against the store, Notify's dispatcher fed
/// with their alerts, and the Prometheus-compatible API. `run` and `demo` both build one.
///
/// Building validates everything a user wrote — config, receivers, rule files — before
/// anything runs: the first problem set is thrown as `ConfigErrors` (exit 2).
struct MonitorApp {
    let service: MonitorService
    let rules: RuleEvaluation
    let notifications: NotificationService?

    /// Builds the parts; `extraReceivers` are added to the configured ones (the demo's log
    /// receiver). Throws `ConfigErrors` for any user error.
    init(configuration: MonitorConfiguration, logger: Logger, extraReceivers: [ReceiverConfig] = []) throws(ConfigErrors) {
        // Every user error at once: receivers, then rule files (below), before anything runs.
        var errors: [ConfigError] = []
        var receivers = extraReceivers
        do {
            receivers = try ReceiverConfigLoader.load(configuration.receivers, file: configuration.receiversFile) + extraReceivers
        } catch {
            errors += error.errors
        }
        do {
            service = try MonitorService(configuration: configuration, logger: logger)
        } catch CollectorError.invalidProperty(let name, let reason) {
            throw ConfigErrors(errors: [configuration.kafka.propertyError(name, reason)])
        } catch {
            throw ConfigErrors(errors: [ConfigError(location: .flag("kafka.bootstrap-servers"), message: "\(error)")])
        }
        let externalURL = Self.externalURL(configuration.web)
        let forwarder = NotificationForwarder()
        rules = RuleEvaluation(patterns: configuration.ruleFiles, store: service.store,
                               interval: configuration.collect.interval, externalURL: externalURL,
                               notify: { forwarder.forward($0) }, logger: logger)
        if case .failure(let ruleErrors) = rules.load() { errors += ruleErrors.errors.map(Self.configError) }
        guard errors.isEmpty else { throw ConfigErrors(errors: errors) }
        notifications = try Self.notifications(receivers, configuration: configuration, externalURL: externalURL, logger: logger)
        if let notifications { forwarder.connect(notifications) }
        APIRoutes(store: service.store, rules: rules).add(to: service.router)
        let rules = rules, notifications = notifications
        service.extensions.addMetrics { rules.metricsText(openMetrics: $0) }
        if let notifications { service.extensions.addMetrics { notifications.metricsText(openMetrics: $0) } }
        service.extensions.addStatusSection { RuleStatusPage.render(rules) }
    }

    /// Runs everything until SIGTERM/SIGINT; shutdown stops rules first, then flushes
    /// notifications, then the HTTP server, the collector and the store snapshot.
    func run() async throws {
        try await service.run(adding: [notifications as (any Service)?, rules].compactMap { $0 })
    }

    /// `web.external_url`, else `http://<listen host or this host>:<port>`.
    static func externalURL(_ web: MonitorConfiguration.Web) -> String {
        if let url = web.externalURL, !url.isEmpty { return url }
        let host = ["0.0.0.0", "::", ""].contains(web.listenAddress.host) ? ProcessInfo.processInfo.hostName : web.listenAddress.host
        return "http://\(ListenAddress(host: host, port: web.listenAddress.port))"
    }

    private static func configError(_ error: RuleFileError) -> ConfigError {
        guard let position = error.position else { return ConfigError(location: .wholeFile(error.file), message: error.message) }
        return ConfigError(location: .file(path: error.file, line: position.line, column: position.column), message: error.message)
    }

    /// The dispatcher over `storage.path` (a temporary directory, not durable, without one).
    private static func notifications(_ receivers: [ReceiverConfig], configuration: MonitorConfiguration,
                                      externalURL: String, logger: Logger) throws(ConfigErrors) -> NotificationService? {
        guard !receivers.isEmpty else {
            logger.notice("no receivers configured: alerts are evaluated but nobody is paged")
            return nil
        }
        let path: String
        if let configured = configuration.storage.path {
            path = configured
        } else {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-health-monitor-\(getpid())").path
            logger.warning("no --storage.path: the notification outbox lives in \(path) and is not kept across restarts")
        }
        do {
            let dispatcher = try NotifyDispatcher(receivers: receivers, storagePath: path, externalURL: externalURL,
                                                  logger: logger)
            logger.info("notifying \(receivers.map { "\($0.name) (\($0.type.rawValue))" }.joined(separator: ", "))")
            return NotificationService(dispatcher: dispatcher, externalURL: externalURL)
        } catch let errors as ReceiverConfigErrors {
            throw ConfigErrors(errors: errors.errors.map { problem in
                let node = configuration.receivers.indices.contains(problem.index) ? configuration.receivers[problem.index] : nil
                return ConfigError(location: .file(path: configuration.receiversFile, line: node?.mark?.line ?? 0,
                                                   column: node?.mark?.column ?? 0),
                                   message: "receiver \"\(problem.receiver)\": \(problem.field): \(problem.message)")
            })
        } catch {
            throw ConfigErrors(errors: [ConfigError(location: .flag("storage.path"), message: "\(error)")])
        }
    }
}

/// Lets the rule groups' notify function exist before the dispatcher does (rule files are
/// validated first, so that a bad file starts no delivery thread).
final class NotificationForwarder: Sendable {
    private let target = Mutex<NotificationService?>(nil)

    func connect(_ service: NotificationService) { target.withLock { $0 = service } }

    func forward(_ alerts: [Alert]) { target.withLock { $0 }?.forward(alerts) }
}
