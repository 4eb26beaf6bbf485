import Foundation

/// A parsed control API request: read the state, or perform an action.
enum ControlRoute: Equatable {
    case state
    case perform(ControlAction)

    /// A request the API refuses, with its HTTP status.
    struct Refusal: Error, Equatable {
        var status: Int
        var message: String
    }

    private struct SlowBody: Decodable {
        var latency: String?
        var lagging: Bool?
    }

    private struct ErrorBody: Decodable { var code: Int16 }
    private struct LeaderBody: Decodable { var leader: Int32 }
    private struct IsrBody: Decodable { var isr: [Int32] }

    /// Parses `method path` and its JSON body into a route.
    static func parse(method: String, path: String, body: Data) throws -> ControlRoute {
        let parts = path.split(separator: "?", maxSplits: 1)[0].split(separator: "/").map {
            String($0).removingPercentEncoding ?? String($0)
        }
        switch (method, parts.count) {
        case ("GET", 1) where parts == ["state"]:
            return .state
        case ("POST", 1) where parts == ["topics"]:
            return .perform(.createTopic(try decode(TopicSpec.self, body)))
        case ("DELETE", 2) where parts[0] == "topics":
            return .perform(.deleteTopic(parts[1]))
        case (_, 3) where parts[0] == "brokers":
            return .perform(try brokerAction(method, id: parts[1], verb: parts[2], body: body))
        case ("POST", 5) where parts[0] == "topics" && parts[2] == "partitions":
            return .perform(try partitionAction(topic: parts[1], partition: parts[3], verb: parts[4], body: body))
        default:
            throw Refusal(status: 404, message: "no route for \(method) \(path)")
        }
    }

    private static func brokerAction(_ method: String, id text: String, verb: String, body: Data) throws -> ControlAction {
        guard let id = Int32(text) else { throw Refusal(status: 400, message: "broker id \"\(text)\" is not a number") }
        switch (method, verb) {
        case ("POST", "stop"): return .stopBroker(id)
        case ("POST", "start"): return .startBroker(id)
        case ("POST", "slow"):
            let slow = try decode(SlowBody.self, body.isEmpty ? Data("{}".utf8) : body)
            let latencyText = slow.latency ?? "0s"
            guard let latency = DurationSyntax.parse(latencyText) else {
                throw Refusal(status: 400, message: "latency \"\(latencyText)\" is not a duration")
            }
            return .slowBroker(id, latency: latency, lagging: slow.lagging ?? true)
        case ("DELETE", "slow"): return .slowBroker(id, latency: .zero, lagging: false)
        case ("POST", "error"): return .setBrokerError(id, code: try decode(ErrorBody.self, body).code)
        case ("DELETE", "error"): return .setBrokerError(id, code: nil)
        default: throw Refusal(status: 404, message: "no route for \(method) /brokers/\(text)/\(verb)")
        }
    }

    private static func partitionAction(topic: String, partition text: String, verb: String,
                                        body: Data) throws -> ControlAction {
        guard let partition = Int32(text) else {
            throw Refusal(status: 400, message: "partition \"\(text)\" is not a number")
        }
        switch verb {
        case "leader": return .setLeader(topic: topic, partition: partition, leader: try decode(LeaderBody.self, body).leader)
        case "isr": return .setISR(topic: topic, partition: partition, isr: try decode(IsrBody.self, body).isr)
        default: throw Refusal(status: 404, message: "no partition control \"\(verb)\"")
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ body: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch {
            throw Refusal(status: 400, message: "bad JSON body: \(describe(error))")
        }
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\""
        case DecodingError.dataCorrupted: "not valid JSON"
        default: "\(error)"
        }
    }
}
