/// The settings a running monitor cannot take over on reload (they shaped the collector,
/// the store, the HTTP listener or links already handed out): a reload that changes them
/// reports them as "needs restart" and keeps running with the old values.
enum RestartOnlySettings {
    /// The config-file names of the restart-only settings that differ between `running` and
    /// `loaded`, in config-file order.
    static func changed(from running: MonitorConfiguration, to loaded: MonitorConfiguration) -> [String] {
        let checks: [(String, Bool)] = [
            ("kafka.bootstrap_servers", running.kafka.bootstrapServers != loaded.kafka.bootstrapServers),
            ("kafka.expected_brokers", running.kafka.expectedBrokers != loaded.kafka.expectedBrokers),
            ("kafka.properties", running.kafka.properties != loaded.kafka.properties),
            ("kafka.default_min_insync_replicas",
             running.kafka.defaultMinInsyncReplicas != loaded.kafka.defaultMinInsyncReplicas),
            ("collect.interval", running.collect.interval != loaded.collect.interval),
            ("collect.enabled", running.collect.enabled != loaded.collect.enabled),
            ("storage.path", running.storage.path != loaded.storage.path),
            ("storage.retention", running.storage.retention != loaded.storage.retention),
            ("web.listen_address", running.web.listenAddress != loaded.web.listenAddress),
            ("web.external_url", running.web.externalURL != loaded.web.externalURL),
        ]
        return checks.filter(\.1).map(\.0)
    }
}
