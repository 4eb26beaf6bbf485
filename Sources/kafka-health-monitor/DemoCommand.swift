import ArgumentParser

/// `kafka-health-monitor demo`: run the monitor against a built-in simulated cluster.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run against a built-in simulated 3-broker cluster.")

    func run() async throws {
        throw ValidationError("demo: not built yet")
    }
}
