/// Broker lifecycle and fault controls.
extension ClusterModel {
    /// Stops broker `id` at `now`: it leaves metadata at once, its leaderships move to another
    /// live in-sync replica (or the partition goes offline), and after the replica lag time it
    /// leaves every ISR. Stopping a stopped broker changes nothing.
    public mutating func stopBroker(_ id: Int32, now: Duration) throws -> [ClusterEvent] {
        let index = try checkedBrokerIndex(id)
        guard brokers[index].alive else { return [] }
        brokers[index].alive = false
        brokers[index].replication = .stopped
        cancelPending(broker: id)
        schedule(.leaveIsrs, broker: id, at: now + timing.replicaLagTime)
        var events: [ClusterEvent] = [.brokerStopped(id)]
        events += reelectLeaders(where: { $0.leader == id })
        if controllerId == id {
            controllerId = liveBrokerIds.first ?? -1
            events.append(.controllerChanged(controllerId))
        }
        return events
    }

    /// Starts broker `id` at `now`: it is back in metadata at once and leads again the offline
    /// partitions whose ISR holds it; it rejoins ISRs after the catch-up delay, and preferred
    /// leaders return after a further delay. Starting a running broker changes nothing.
    public mutating func startBroker(_ id: Int32, now: Duration) throws -> [ClusterEvent] {
        let index = try checkedBrokerIndex(id)
        guard !brokers[index].alive else { return [] }
        brokers[index].alive = true
        brokers[index].replication = .catchingUp
        brokers[index].outOfSync = false
        cancelPending(broker: id)
        scheduleRecovery(broker: id, now: now)
        var events: [ClusterEvent] = [.brokerStarted(id)]
        if controllerId == -1 {
            controllerId = id
            events.append(.controllerChanged(id))
        }
        events += reelectLeaders(where: { $0.leader == -1 && $0.replicas.contains(id) })
        return events
    }

    /// Makes broker `id` a lagging replica (`lagging: true`): after the replica lag time it
    /// leaves every ISR in which it follows. `lagging: false` lets it catch up again, rejoin
    /// ISRs after the catch-up delay and get its preferred leaderships back.
    public mutating func setLagging(_ id: Int32, _ lagging: Bool, now: Duration) throws -> [ClusterEvent] {
        let index = try checkedBrokerIndex(id)
        guard brokers[index].alive else {
            throw SimulatorError(.conflict, "broker \(id) is stopped")
        }
        let isLagging = brokers[index].replication == .lagging
        guard lagging != isLagging else { return [] }
        cancelPending(broker: id)
        if lagging {
            brokers[index].replication = .lagging
            schedule(.leaveIsrs, broker: id, at: now + timing.replicaLagTime)
        } else {
            brokers[index].replication = .catchingUp
            brokers[index].outOfSync = false
            scheduleRecovery(broker: id, now: now)
        }
        return []
    }

    /// Adds `latency` to every response of broker `id` (zero removes it).
    public mutating func setLatency(_ id: Int32, _ latency: Duration) throws {
        let index = try checkedBrokerIndex(id)
        guard latency >= .zero, latency <= .seconds(3600) else {
            throw SimulatorError(.invalid, "latency must be between 0 and 1h")
        }
        brokers[index].latency = latency
    }

    /// Makes broker `id` answer requests with Kafka error `code` (nil to answer normally).
    public mutating func setInjectedError(_ id: Int32, _ code: Int16?) throws {
        let index = try checkedBrokerIndex(id)
        brokers[index].injectedError = code
    }

    private mutating func scheduleRecovery(broker id: Int32, now: Duration) {
        schedule(.catchUp, broker: id, at: now + timing.catchUpDelay)
        schedule(.restorePreferredLeaders, broker: id,
                 at: now + timing.catchUpDelay + timing.preferredLeaderDelay)
    }
}
