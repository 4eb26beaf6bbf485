import ArgumentParser
import Exporter
import Foundation

/// `kafka-health-monitor check config FILE`: validates a config file as `run` would load it,
/// librdkafka properties and receivers included, without connecting. promtool's exit codes: 0 valid,
/// 1 invalid.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Check a config file.")

    @Argument(help: "The config file.") var file: String

    func run() async throws {
        print("Checking \(file)")
        do {
            let configuration = try ConfigFile.load(file)
            do {
                try Collector.validate(properties: configuration.kafka.properties)
            } catch CollectorError.invalidProperty(let name, let reason) {
                throw ConfigErrors(errors: [configuration.kafka.propertyError(name, reason)])
            }
            let receivers = try ReceiverConfigLoader.load(configuration.receivers, file: configuration.receiversFile)
            print("  SUCCESS: \(file) is valid (\(receivers.count) receivers)")
        } catch let errors as ConfigErrors {
            print("  FAILED:")
            FileHandle.standardError.write(Data((errors.description + "\n").utf8))
            throw ExitCode(1)
        }
    }
}
