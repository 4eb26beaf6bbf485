import ArgumentParser

/// `kafka-health-monitor run`: collect, store, evaluate, notify and serve HTTP.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the monitor.")

    func run() async throws {
        throw ValidationError("run: not built yet")
    }
}
