import Foundation

extension ReceiverConfig {
    /// Checks a whole `receivers:` list (each receiver, and that names are unique); throws
    /// `ReceiverConfigErrors` with every problem found.
    public static func validate(_ receivers: [ReceiverConfig]) throws {
        var errors: [ReceiverConfigError] = []
        var seen: Set<String> = []
        for (index, receiver) in receivers.enumerated() {
            errors += receiver.problems(index: index)
            if !seen.insert(receiver.name).inserted {
                errors.append(ReceiverConfigError(index: index, receiver: receiver.name, field: "name",
                                                  message: "duplicate receiver name"))
            }
        }
        if !errors.isEmpty { throw ReceiverConfigErrors(errors: errors) }
    }

    /// The problems of this receiver alone, at position `index` of the list.
    public func problems(index: Int) -> [ReceiverConfigError] {
        var out: [ReceiverConfigError] = []
        func fail(_ field: String, _ message: String) {
            out.append(ReceiverConfigError(index: index, receiver: name, field: field, message: message))
        }
        if name.isEmpty { fail("name", "must not be empty") }
        checkURLs(fail)
        if groupInterval.milliseconds <= 0 { fail("group_interval", "must be greater than 0") }
        if repeatInterval.milliseconds <= 0 { fail("repeat_interval", "must be greater than 0") }
        if timeout.milliseconds <= 0 { fail("timeout", "must be greater than 0") }
        if maxAlerts < 0 { fail("max_alerts", "must be 0 (unlimited) or more") }
        if queueCapacity < 1 { fail("queue_capacity", "must be at least 1") }
        if groupBy.contains("...") && groupBy.count > 1 {
            fail("group_by", "\"...\" (all labels) must be the only entry")
        }
        for (label, pattern) in matchRE.sorted(by: { $0.key < $1.key }) {
            do { _ = try LabelRegex(pattern) } catch { fail("match_re.\(label)", "invalid regex \"\(pattern)\"") }
        }
        let tokenSources = [bearerToken != nil, bearerTokenFile != nil, bearerTokenEnv != nil].filter { $0 }.count
        if tokenSources > 1 { fail("bearer_token", "give only one of bearer_token, bearer_token_file, bearer_token_env") }
        if tokenSources > 0 && basicAuth != nil { fail("basic_auth", "cannot be combined with a bearer token") }
        if let basicAuth {
            if basicAuth.username.isEmpty { fail("basic_auth.username", "must not be empty") }
            let sources = [basicAuth.password != nil, basicAuth.passwordFile != nil, basicAuth.passwordEnv != nil]
            if sources.filter({ $0 }).count > 1 {
                fail("basic_auth", "give only one of password, password_file, password_env")
            }
        }
        if let tls { checkTLS(tls, fail) }
        if type == .pagerduty {
            if routingKey == nil && routingKeyFile == nil { fail("routing_key", "pagerduty needs routing_key or routing_key_file") }
            if routingKey != nil && routingKeyFile != nil { fail("routing_key", "give only one of routing_key, routing_key_file") }
        } else if routingKey != nil || routingKeyFile != nil {
            fail("routing_key", "only pagerduty receivers take a routing key")
        }
        if channel != nil && type != .slack { fail("channel", "only slack receivers take a channel") }
        return out
    }

    /// The client certificate and key come together, and every file given is readable now:
    /// libcurl opens them only when it connects, so a wrong path would otherwise show only
    /// as every delivery failing (as promtool and Alertmanager do, it is a config error).
    private func checkTLS(_ tls: TLSSettings, _ fail: (String, String) -> Void) {
        guard (tls.certFile == nil) == (tls.keyFile == nil) else {
            fail("tls", "cert_file and key_file must be given together")
            return
        }
        for (field, path) in [("tls.ca_file", tls.caFile), ("tls.cert_file", tls.certFile), ("tls.key_file", tls.keyFile)] {
            if let path, !FileManager.default.isReadableFile(atPath: path) { fail(field, "cannot read \(path)") }
        }
    }

    private func checkURLs(_ fail: (String, String) -> Void) {
        if type == .alertmanager {
            if url != nil && !urls.isEmpty { fail("urls", "give url or urls, not both") }
            if url == nil && urls.isEmpty { fail("urls", "an alertmanager receiver needs at least one URL") }
        } else {
            if !urls.isEmpty { fail("urls", "only alertmanager receivers take several URLs; use url") }
            if url == nil && type != .pagerduty { fail("url", "a \(type.rawValue) receiver needs a url") }
        }
        for target in (url.map { [$0] } ?? []) + urls {
            guard let parsed = URL(string: target), let scheme = parsed.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", parsed.host != nil else {
                fail(urls.contains(target) ? "urls" : "url", "\"\(target)\" is not an http(s) URL")
                continue
            }
        }
    }
}
