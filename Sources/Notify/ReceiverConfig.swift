import Foundation

/// One entry of the config file's `receivers:` list (field names as in DESIGN.md).
///
/// Defaults follow Alertmanager: `group_by` empty (all alerts of the receiver in one group;
/// `["..."]` groups by every label), `group_wait` 30s, `group_interval` 5m,
/// `repeat_interval` 4h; `send_resolved` true for every type; `timeout` 10s;
/// `max_alerts` 0 (unlimited); `queue_capacity` 10000 outbox entries.
/// Call `validate()` before use: decoding checks syntax, validation checks meaning (and that
/// the TLS files given can be read).
public struct ReceiverConfig: Sendable, Hashable, Decodable {
    /// Unique name; labels the metrics and the outbox entries.
    public var name: String
    /// The protocol.
    public var type: ReceiverKind
    /// Target URL (webhook, slack, pagerduty; PagerDuty defaults to its Events v2 endpoint).
    public var url: String?
    /// Alertmanager base URLs (`alertmanager`; `url` also accepted for a single one).
    public var urls: [String]
    /// Label equality matchers: an alert goes to this receiver only if all match.
    public var match: [String: String]
    /// Label regex matchers (anchored, as in Alertmanager).
    public var matchRE: [String: String]
    /// Whether resolved alerts are notified.
    public var sendResolved: Bool
    /// Labels that split alerts into groups; `["..."]` means all labels.
    public var groupBy: [String]
    /// How long a new group waits before its first notification.
    public var groupWait: PrometheusDuration
    /// How long a group waits before notifying about changes.
    public var groupInterval: PrometheusDuration
    /// How long an unchanged firing group waits before it is notified again.
    public var repeatInterval: PrometheusDuration
    /// Per-request timeout.
    public var timeout: PrometheusDuration
    /// Extra HTTP headers.
    public var headers: [String: String]
    /// Bearer token given inline (prefer the file or env forms).
    public var bearerToken: Secret?
    /// File holding the bearer token.
    public var bearerTokenFile: String?
    /// Environment variable holding the bearer token.
    public var bearerTokenEnv: String?
    /// HTTP basic authentication.
    public var basicAuth: BasicAuth?
    /// TLS settings.
    public var tls: TLSSettings?
    /// Largest number of alerts in one notification; 0 = unlimited (the rest are counted in
    /// `truncatedAlerts`).
    public var maxAlerts: Int
    /// PagerDuty integration key given inline.
    public var routingKey: Secret?
    /// File holding the PagerDuty integration key.
    public var routingKeyFile: String?
    /// Slack channel override.
    public var channel: String?
    /// Largest number of undelivered notifications kept for this receiver; the oldest are
    /// dropped first.
    public var queueCapacity: Int

    /// Basic authentication; the password comes inline, from a file or from the environment.
    public struct BasicAuth: Sendable, Hashable, Decodable {
        /// The user name (not secret).
        public var username: String
        /// The password given inline (prefer the file or env forms).
        public var password: Secret?
        /// File holding the password.
        public var passwordFile: String?
        /// Environment variable holding the password.
        public var passwordEnv: String?

        enum CodingKeys: String, CodingKey {
            case username, password, passwordFile = "password_file", passwordEnv = "password_env"
        }
    }

    /// TLS: a CA bundle to trust, a client certificate and key, or no verification (tests only).
    public struct TLSSettings: Sendable, Hashable, Decodable {
        /// PEM bundle of CAs to trust instead of the system's.
        public var caFile: String?
        /// PEM client certificate (with `keyFile`).
        public var certFile: String?
        /// PEM private key of the client certificate.
        public var keyFile: String?
        /// Skip server certificate and host name checks (tests only).
        public var insecureSkipVerify: Bool

        enum CodingKeys: String, CodingKey {
            case caFile = "ca_file", certFile = "cert_file", keyFile = "key_file"
            case insecureSkipVerify = "insecure_skip_verify"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            caFile = try c.decodeIfPresent(String.self, forKey: .caFile)
            certFile = try c.decodeIfPresent(String.self, forKey: .certFile)
            keyFile = try c.decodeIfPresent(String.self, forKey: .keyFile)
            insecureSkipVerify = try c.decodeIfPresent(Bool.self, forKey: .insecureSkipVerify) ?? false
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, type, url, urls, match, matchRE = "match_re", sendResolved = "send_resolved"
        case groupBy = "group_by", groupWait = "group_wait", groupInterval = "group_interval"
        case repeatInterval = "repeat_interval", timeout, headers
        case bearerToken = "bearer_token", bearerTokenFile = "bearer_token_file"
        case bearerTokenEnv = "bearer_token_env", basicAuth = "basic_auth", tls
        case maxAlerts = "max_alerts", routingKey = "routing_key", routingKeyFile = "routing_key_file"
        case channel, queueCapacity = "queue_capacity"
    }

    /// A receiver with Alertmanager's defaults for everything not given.
    public init(name: String, type: ReceiverKind, url: String? = nil, urls: [String] = []) {
        self.name = name
        self.type = type
        self.url = url
        self.urls = urls
        match = [:]
        matchRE = [:]
        sendResolved = true
        groupBy = []
        groupWait = .seconds(30)
        groupInterval = .seconds(300)
        repeatInterval = .seconds(4 * 3600)
        timeout = .seconds(10)
        headers = [:]
        maxAlerts = 0
        queueCapacity = 10_000
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), type: try c.decode(ReceiverKind.self, forKey: .type),
                  url: try c.decodeIfPresent(String.self, forKey: .url),
                  urls: try c.decodeIfPresent([String].self, forKey: .urls) ?? [])
        match = try c.decodeIfPresent([String: String].self, forKey: .match) ?? match
        matchRE = try c.decodeIfPresent([String: String].self, forKey: .matchRE) ?? matchRE
        sendResolved = try c.decodeIfPresent(Bool.self, forKey: .sendResolved) ?? sendResolved
        groupBy = try c.decodeIfPresent([String].self, forKey: .groupBy) ?? groupBy
        groupWait = try c.decodeIfPresent(PrometheusDuration.self, forKey: .groupWait) ?? groupWait
        groupInterval = try c.decodeIfPresent(PrometheusDuration.self, forKey: .groupInterval) ?? groupInterval
        repeatInterval = try c.decodeIfPresent(PrometheusDuration.self, forKey: .repeatInterval) ?? repeatInterval
        timeout = try c.decodeIfPresent(PrometheusDuration.self, forKey: .timeout) ?? timeout
        headers = try c.decodeIfPresent([String: String].self, forKey: .headers) ?? headers
        bearerToken = try c.decodeIfPresent(Secret.self, forKey: .bearerToken)
        bearerTokenFile = try c.decodeIfPresent(String.self, forKey: .bearerTokenFile)
        bearerTokenEnv = try c.decodeIfPresent(String.self, forKey: .bearerTokenEnv)
        basicAuth = try c.decodeIfPresent(BasicAuth.self, forKey: .basicAuth)
        tls = try c.decodeIfPresent(TLSSettings.self, forKey: .tls)
        maxAlerts = try c.decodeIfPresent(Int.self, forKey: .maxAlerts) ?? maxAlerts
        routingKey = try c.decodeIfPresent(Secret.self, forKey: .routingKey)
        routingKeyFile = try c.decodeIfPresent(String.self, forKey: .routingKeyFile)
        channel = try c.decodeIfPresent(String.self, forKey: .channel)
        queueCapacity = try c.decodeIfPresent(Int.self, forKey: .queueCapacity) ?? queueCapacity
    }

    /// The URLs notifications are POSTed to: one per Alertmanager (with `/api/v2/alerts`
    /// appended), else the single `url` (PagerDuty's public endpoint when none is given).
    public var targetURLs: [String] {
        switch type {
        case .alertmanager:
            let bases = urls.isEmpty ? (url.map { [$0] } ?? []) : urls
            return bases.map { base in
                (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/api/v2/alerts"
            }
        case .pagerduty:
            return [url ?? "https://events.pagerduty.com/v2/enqueue"]
        case .webhook, .slack:
            return url.map { [$0] } ?? []
        }
    }
}
