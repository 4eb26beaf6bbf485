import Alerts
import Foundation
import Hummingbird
import PromQL
import TimeSeries

/// The Prometheus-compatible HTTP API (`/api/v1/*`), so that Grafana's Prometheus data
/// source and scripts work against the monitor (`POST /-/reload` is `ReloadRoute`).
struct APIRoutes: Sendable {
    let store: Store
    let rules: RuleEvaluation
    let engine = Engine()

    /// Adds the routes to `router`.
    func add(to router: Router<BasicRequestContext>) {
        let api = self
        for (path, handler) in [
            ("/api/v1/query", api.query), ("/api/v1/query_range", api.queryRange),
            ("/api/v1/series", api.series), ("/api/v1/labels", api.labels),
        ] as [(String, @Sendable (APIParameters) throws(APIError) -> JSONValue)] {
            let respond: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
                do {
                    let parameters = try await APIParameters.read(request)
                    return Self.success(try handler(parameters))
                } catch let error as APIError {
                    return Self.failure(error)
                }
            }
            router.get(RouterPath(path), use: respond)
            router.post(RouterPath(path), use: respond)
        }
        router.get("/api/v1/label/:name/values") { _, context -> Response in
            let name = context.parameters.get("name") ?? ""
            return Self.success(.array(api.store.labelValues(name).map(JSONValue.string)))
        }
        router.get("/api/v1/alerts") { _, _ -> Response in Self.success(api.alerts()) }
        router.get("/api/v1/rules") { _, _ -> Response in Self.success(api.ruleGroups()) }
    }

    // MARK: - Queries

    private func parse(_ parameters: APIParameters) throws(APIError) -> Expr {
        guard let text = parameters["query"], !text.isEmpty else { throw .badData("missing parameter \"query\"") }
        do {
            return try PromQLParser.parse(text)
        } catch {
            throw .badData("invalid parameter \"query\": \(error)")
        }
    }

    @Sendable func query(_ parameters: APIParameters) throws(APIError) -> JSONValue {
        let expr = try parse(parameters)
        let time = try parameters.time("time", default: RuleManager.wallClock())
        let value: Value
        do { value = try engine.instant(expr, at: time, querier: store) } catch { throw .execution("\(error)") }
        return Self.result(value)
    }

    @Sendable func queryRange(_ parameters: APIParameters) throws(APIError) -> JSONValue {
        let expr = try parse(parameters)
        let start = try parameters.time("start", default: nil), end = try parameters.time("end", default: nil)
        let step = try parameters.duration("step")
        guard end >= start else { throw .badData("invalid parameter \"end\": end timestamp must not be before start time") }
        guard step > 0 else {
            throw .badData("invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        let value: Value
        do { value = try engine.range(expr, start: start, end: end, step: step, querier: store) } catch {
            throw .execution("\(error)")
        }
        return Self.result(value)
    }

    @Sendable func series(_ parameters: APIParameters) throws(APIError) -> JSONValue {
        let selectors = parameters.all("match[]")
        guard !selectors.isEmpty else { throw .badData("no match[] parameter provided") }
        let now = RuleManager.wallClock()
        let end = try parameters.time("end", default: now)
        let start = try parameters.time("start", default: end - store.retention)
        var seen = Set<Labels>()
        var out: [JSONValue] = []
        for text in selectors {
            guard case .vector(let selector)? = try? PromQLParser.parse(text) else {
                throw .badData("invalid parameter \"match[]\": \"\(text)\" is not a series selector")
            }
            for series in store.select(selector.matchers, mint: start, maxt: end) where seen.insert(series.labels).inserted {
                out.append(Self.labels(series.labels))
            }
        }
        return .array(out)
    }

    @Sendable func labels(_ parameters: APIParameters) throws(APIError) -> JSONValue {
        .array(store.labelNames().map(JSONValue.string))
    }

    // MARK: - Alerts and rules

    func alerts() -> JSONValue {
        .object([("alerts", .array(rules.manager.alerts.filter { $0.state != .inactive }.map(Self.alert)))])
    }

    func ruleGroups() -> JSONValue {
        .object([("groups", .array(rules.manager.groups.map { group in
            let status = group.status
            let rulesJSON = zip(status.rules, group.definition.rules).map { rule, definition in
                var fields: [(String, JSONValue)] = [
                    ("name", .string(rule.name)), ("query", .string(definition.exprText)),
                ]
                if rule.type == "alerting" {
                    fields += [("duration", .number(FloatFormat.shortest(Double(definition.forDuration) / 1000))),
                               ("keepFiringFor", .number(FloatFormat.shortest(Double(definition.keepFiringFor) / 1000))),
                               ("labels", Self.dictionary(definition.labels)),
                               ("annotations", Self.dictionary(definition.annotations)),
                               ("alerts", .array(rule.alerts.filter { $0.state != .inactive }.map(Self.alert))),
                               ("state", .string(rule.alerts.map(\.state).max().map(Self.stateName) ?? "inactive"))]
                } else {
                    fields.append(("labels", Self.dictionary(definition.labels)))
                }
                fields += [("health", .string(rule.health.rawValue)), ("lastError", .string(rule.lastError ?? "")),
                           ("evaluationTime", .number(FloatFormat.shortest(rule.lastDurationSeconds))),
                           ("type", .string(rule.type))]
                return JSONValue.object(fields)
            }
            return JSONValue.object([
                ("name", .string(status.name)), ("file", .string(status.file)),
                ("interval", .number(FloatFormat.shortest(Double(status.interval) / 1000))),
                ("limit", .number(String(group.limit))), ("rules", .array(rulesJSON)),
                ("evaluationTime", .number(FloatFormat.shortest(status.lastDurationSeconds))),
                ("lastEvaluation", .string(status.lastEvaluation.map(Self.rfc3339) ?? "0001-01-01T00:00:00Z")),
            ])
        }))])
    }

    // MARK: - Encoding

    static func result(_ value: Value) -> JSONValue {
        let (type, result): (String, JSONValue)
        switch value {
        case let .scalar(number, timestamp): (type, result) = ("scalar", .array([.seconds(timestamp), .string(FloatFormat.fixed(number))]))
        case let .string(text, timestamp): (type, result) = ("string", .array([.seconds(timestamp), .string(text)]))
        case .vector(let elements):
            (type, result) = ("vector", .array(elements.map { element in
                .object([("metric", labels(element.labels)),
                         ("value", .array([.seconds(element.timestamp), .string(FloatFormat.fixed(element.value))]))])
            }))
        case .matrix(let series):
            (type, result) = ("matrix", .array(series.map { one in
                .object([("metric", labels(one.labels)),
                         ("values", .array(one.samples.map { .array([.seconds($0.timestamp), .string(FloatFormat.fixed($0.value))]) }))])
            }))
        }
        return .object([("resultType", .string(type)), ("result", result)])
    }

    static func alert(_ alert: Alert) -> JSONValue {
        .object([("labels", labels(alert.labels)), ("annotations", dictionary(alert.annotations)),
                 ("state", .string(stateName(alert.state))), ("activeAt", .string(rfc3339(alert.activeAt))),
                 ("value", .string(FloatFormat.shortest(alert.value)))])
    }

    static func stateName(_ state: AlertState) -> String { state.rawValue }

    static func labels(_ labels: Labels) -> JSONValue { .labels(labels.map { ($0.name, $0.value) }) }

    static func dictionary(_ values: [String: String]) -> JSONValue {
        .labels(values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    static func rfc3339(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    static func success(_ data: JSONValue) -> Response {
        json(.object([("status", .string("success")), ("data", data)]), status: .ok)
    }

    static func failure(_ error: APIError) -> Response {
        json(.object([("status", .string("error")), ("errorType", .string(error.type)), ("error", .string(error.message))]),
             status: error.status)
    }

    private static func json(_ value: JSONValue, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: value.text)))
    }
}
