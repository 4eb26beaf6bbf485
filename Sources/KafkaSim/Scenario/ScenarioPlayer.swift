import Logging

/// Plays a scenario against a cluster: sleeps until each step's offset, performs it, logs it.
/// A step the cluster refuses is logged and the play goes on. Cancelling the task stops it.
public struct ScenarioPlayer: Sendable {
    let scenario: Scenario
    let cluster: SimulatedCluster
    let logger: Logger

    /// A player for `scenario` on `cluster`.
    public init(scenario: Scenario, cluster: SimulatedCluster, logger: Logger) {
        self.scenario = scenario
        self.cluster = cluster
        self.logger = logger
    }

    /// Plays every step at its offset from now.
    public func play(clock: ContinuousClock = ContinuousClock()) async {
        let start = clock.now
        logger.info("playing scenario", metadata: ["description": "\(scenario.description)"])
        for step in scenario.steps {
            do {
                try await clock.sleep(until: start + step.at)
            } catch {
                return
            }
            do {
                try await cluster.perform(step.action)
                logger.info("scenario step", metadata: ["at": "\(step.at)", "action": "\(step.action)"])
            } catch {
                logger.error("scenario step refused", metadata: ["step": "\(step.location)", "error": "\(error)"])
            }
        }
        logger.info("scenario finished")
    }
}
