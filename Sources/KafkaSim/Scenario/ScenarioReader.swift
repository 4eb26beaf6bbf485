import Yams

/// Reads the steps of a scenario from YAML nodes, keeping each error's position.
struct ScenarioReader {
    let file: String

    func error(_ node: Node, _ message: String) -> ScenarioError {
        ScenarioError(location: location(node), message: message)
    }

    func location(_ node: Node) -> String {
        guard let mark = node.mark else { return file }
        return "\(file):\(mark.line):\(mark.column)"
    }

    func step(_ node: Node) throws -> Scenario.Step {
        guard let mapping = node.mapping else { throw error(node, "a step is a mapping with \"at\" and \"action\"") }
        let fields = Fields(node: node, mapping: mapping, reader: self)
        let atText = try fields.string("at")
        guard let at = DurationSyntax.parse(atText) else { throw fields.error("at", "\"\(atText)\" is not a duration") }
        return Scenario.Step(at: at, action: try action(fields), location: location(node))
    }

    private func action(_ fields: Fields) throws -> ControlAction {
        let name = try fields.string("action")
        switch name {
        case "stop_broker": return .stopBroker(try fields.int32("broker"))
        case "start_broker": return .startBroker(try fields.int32("broker"))
        case "slow_broker":
            let latency = try fields.optionalString("latency").map { text in
                guard let value = DurationSyntax.parse(text) else { throw fields.error("latency", "\"\(text)\" is not a duration") }
                return value
            } ?? .zero
            return .slowBroker(try fields.int32("broker"), latency: latency, lagging: try fields.optionalBool("lagging") ?? true)
        case "recover_broker": return .slowBroker(try fields.int32("broker"), latency: .zero, lagging: false)
        case "fail_broker":
            let code = try fields.int32("error_code")
            guard let code16 = Int16(exactly: code) else { throw fields.error("error_code", "\(code) is not a Kafka error code") }
            return .setBrokerError(try fields.int32("broker"), code: code16)
        case "heal_broker": return .setBrokerError(try fields.int32("broker"), code: nil)
        case "create_topic":
            return .createTopic(TopicSpec(name: try fields.string("topic"), partitions: Int(try fields.int32("partitions")),
                                          replicationFactor: Int(try fields.int32("replication_factor")),
                                          configs: try fields.stringMap("configs")))
        case "delete_topic": return .deleteTopic(try fields.string("topic"))
        case "set_leader":
            return .setLeader(topic: try fields.string("topic"), partition: try fields.int32("partition"),
                              leader: try fields.int32("leader"))
        case "set_isr":
            return .setISR(topic: try fields.string("topic"), partition: try fields.int32("partition"),
                           isr: try fields.int32List("isr"))
        default:
            throw fields.error("action", "unknown action \"\(name)\"")
        }
    }
}

/// The fields of one step mapping, read with positioned errors.
private struct Fields {
    let node: Node
    let mapping: Node.Mapping
    let reader: ScenarioReader

    func error(_ key: String, _ message: String) -> ScenarioError {
        reader.error(mapping[key] ?? node, "\(key): \(message)")
    }

    func optionalString(_ key: String) throws -> String? {
        guard let value = mapping[key] else { return nil }
        guard let string = value.scalar?.string else { throw error(key, "must be a scalar") }
        return string
    }

    func string(_ key: String) throws -> String {
        guard let value = try optionalString(key) else { throw reader.error(node, "missing \"\(key)\"") }
        return value
    }

    func int32(_ key: String) throws -> Int32 {
        let text = try string(key)
        guard let value = Int32(text) else { throw error(key, "\"\(text)\" is not an integer") }
        return value
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard let text = try optionalString(key) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw error(key, "\"\(text)\" is not true or false")
        }
    }

    func int32List(_ key: String) throws -> [Int32] {
        guard let value = mapping[key] else { throw reader.error(node, "missing \"\(key)\"") }
        guard let items = value.sequence else { throw error(key, "must be a list of broker ids") }
        return try items.map { item in
            guard let text = item.scalar?.string, let id = Int32(text) else {
                throw reader.error(item, "\(key): not a broker id")
            }
            return id
        }
    }

    func stringMap(_ key: String) throws -> [String: String] {
        guard let value = mapping[key] else { return [:] }
        guard let pairs = value.mapping else { throw error(key, "must be a mapping of config names to values") }
        var result: [String: String] = [:]
        for (name, item) in pairs {
            guard let name = name.scalar?.string, let text = item.scalar?.string else {
                throw reader.error(item, "\(key): values must be scalars")
            }
            result[name] = text
        }
        return result
    }
}
