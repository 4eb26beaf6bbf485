import Alerts
import Exporter
import Foundation
import Logging
import Notify
import ServiceLifecycle

/// The whole product wired from one configuration: the exporter's service (store,
/// collector, HTTP), the rule groups evaluated against the store, Notify's dispatcher fed
/// with their alerts, and the Prometheus-compatible API. `run` and `demo` both build one.
///
/// Building validates everything a user wrote — config, receivers, rule files — before
/// anything runs: the first problem set is thrown as `ConfigErrors` (exit 2).
struct MonitorApp {
    let service: MonitorService
    let rules: RuleEvaluation
    let notifications: NotificationService
    /// `/-/reload` and SIGHUP.
    let reloader: ConfigReloader

    /// Builds the parts; `extraReceivers` are added to the configured ones (the demo's log
    /// receiver); `reloadSource` resolves the configuration again on reload (by default the
    /// same `configuration`: then a reload re-reads only the rule files and secret files).
    /// Throws `ConfigErrors` for any user error.
    init(configuration: MonitorConfiguration, logger: Logger, extraReceivers: [ReceiverConfig] = [],
         reloadSource: ConfigReloader.Source? = nil) throws(ConfigErrors) {
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
        let notifications = NotificationService(storagePath: configuration.storage.path, externalURL: externalURL,
                                                logger: logger)
        rules = RuleEvaluation(patterns: configuration.ruleFiles, store: service.store,
                               interval: configuration.collect.interval, externalURL: externalURL,
                               notify: { notifications.forward($0) }, logger: logger)
        if case .failure(let ruleErrors) = rules.load() { errors += ruleErrors.errors.map(Self.configError) }
        guard errors.isEmpty else { throw ConfigErrors(errors: errors) }
        notifications.setRestoredAlertTimeout(RestoredAlertWait.seconds(for: rules.manager.groups))
        // Rule files are valid: only now may a delivery thread start.
        let prepared = try notifications.prepare(receivers, nodes: configuration.receivers, file: configuration.receiversFile)
        notifications.apply(prepared)
        if receivers.isEmpty {
            logger.notice("no receivers configured: alerts are evaluated but nobody is paged")
        } else {
            logger.info("notifying \(receivers.map { "\($0.name) (\($0.type.rawValue))" }.joined(separator: ", "))")
        }
        self.notifications = notifications
        reloader = ConfigReloader(running: configuration, source: reloadSource ?? { configuration },
                                  extraReceivers: extraReceivers, rules: rules, notifications: notifications, logger: logger)
        APIRoutes(store: service.store, rules: rules).add(to: service.router)
        ReloadRoute.add(to: service.router, reloader: reloader)
        let rules = rules, reloader = reloader
        service.extensions.addMetrics { rules.metricsText(openMetrics: $0) + reloader.metricsText(openMetrics: $0) }
        service.extensions.addMetrics { notifications.metricsText(openMetrics: $0) }
        service.extensions.addStatusSection { RuleStatusPage.render(rules) + "\n" + reloader.statusSection() }
        service.extensions.addCollectionObserver { rules.collected(at: $0) }
    }

    /// Runs everything until SIGTERM/SIGINT; shutdown stops reloads and rules first, then
    /// flushes notifications, then the HTTP server, the collector and the store snapshot.
    func run() async throws {
        try await service.run(adding: [notifications, rules, reloader])
    }

    /// `web.external_url`, else `http://<listen host or this host>:<port>`.
    static func externalURL(_ web: MonitorConfiguration.Web) -> String {
        if let url = web.externalURL, !url.isEmpty { return url }
        let host = ["0.0.0.0", "::", ""].contains(web.listenAddress.host) ? ProcessInfo.processInfo.hostName : web.listenAddress.host
        return "http://\(ListenAddress(host: host, port: web.listenAddress.port))"
    }

    /// A rule file error as a config error at the same position.
    static func configError(_ error: RuleFileError) -> ConfigError {
        guard let position = error.position else { return ConfigError(location: .wholeFile(error.file), message: error.message) }
        return ConfigError(location: .file(path: error.file, line: position.line, column: position.column), message: error.message)
    }
}
