/// Which protocol a receiver speaks; the `type:` field of a receiver in the config file.
public enum ReceiverKind: String, Sendable, Hashable, CaseIterable, Decodable {
    /// Alertmanager's webhook JSON (version "4"), grouped.
    case webhook
    /// Alertmanager API v2 (`POST /api/v2/alerts`), ungrouped, resent on Prometheus's schedule.
    case alertmanager
    /// A Slack incoming webhook, grouped.
    case slack
    /// PagerDuty Events API v2, grouped; one incident per group.
    case pagerduty

    /// Decodes `webhook | alertmanager | slack | pagerduty`, naming the choices otherwise.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let kind = ReceiverKind(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "unknown receiver type \"\(text)\": expected webhook, alertmanager, slack or pagerduty")
        }
        self = kind
    }
}
