import Foundation
import Yams

/// A scenario file: a timeline of control actions at offsets from its start, e.g.
///
/// ```yaml
/// description: one broker fails and recovers
/// timeline:
///   - at: 5s
///     action: stop_broker
///     broker: 2
///   - at: 40s
///     action: start_broker
///     broker: 2
/// ```
///
/// Actions: `stop_broker`, `start_broker` (`broker`); `slow_broker` (`broker`, `latency`,
/// `lagging`, default true); `recover_broker` (`broker`); `fail_broker` (`broker`,
/// `error_code`); `heal_broker` (`broker`); `create_topic` (`topic`, `partitions`,
/// `replication_factor`, `configs`); `delete_topic` (`topic`); `set_leader` (`topic`,
/// `partition`, `leader`); `set_isr` (`topic`, `partition`, `isr`).
public struct Scenario: Sendable, Equatable {
    /// One timed action.
    public struct Step: Sendable, Equatable {
        /// When, from the scenario's start.
        public var at: Duration
        /// What.
        public var action: ControlAction
        /// Where it was written (`file:line:col`), for logs.
        public var location: String
    }

    /// What the scenario shows.
    public var description: String
    /// The steps, in time order.
    public var steps: [Step]

    /// Reads and parses a scenario file.
    public static func load(path: String) throws -> Scenario {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ScenarioError(location: path, message: "cannot read: \(error.localizedDescription)")
        }
        return try parse(text, file: path)
    }

    /// Parses scenario YAML; errors carry `file:line:col`.
    public static func parse(_ yaml: String, file: String = "<scenario>") throws -> Scenario {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw ScenarioError(location: file, message: "not valid YAML: \(error)")
        }
        guard let root else { throw ScenarioError(location: file, message: "empty scenario") }
        let reader = ScenarioReader(file: file)
        let steps: Node
        var description = ""
        if let mapping = root.mapping {
            description = mapping["description"]?.string ?? ""
            guard let timeline = mapping["timeline"] else {
                throw reader.error(root, "a scenario needs a \"timeline\" list")
            }
            steps = timeline
        } else {
            steps = root
        }
        guard let sequence = steps.sequence else { throw reader.error(steps, "the timeline must be a list of steps") }
        let parsed = try sequence.map { try reader.step($0) }
        return Scenario(description: description, steps: parsed.sorted { $0.at < $1.at })
    }
}

/// A scenario file the simulator cannot play, with its position.
public struct ScenarioError: Error, CustomStringConvertible, Sendable, Equatable {
    /// `file:line:col` or the file.
    public let location: String
    /// What is wrong.
    public let message: String
    /// `file:line:col: message`.
    public var description: String { "\(location): \(message)" }
}
