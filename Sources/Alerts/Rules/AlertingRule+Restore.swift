import TimeSeries

extension AlertingRule {
    /// How restoring `for` state after a restart behaves (Prometheus's
    /// `--rules.alert.for-outage-tolerance` and `--rules.alert.for-grace-period`).
    public struct RestoreOptions: Sendable {
        /// How far back `ALERTS_FOR_STATE` is looked for.
        public var outageTolerance: Int64
        /// The least time left before an alert whose `for` was interrupted may fire.
        public var forGracePeriod: Int64

        /// Prometheus's defaults: one hour and ten minutes.
        public init(outageTolerance: Int64 = 3_600_000, forGracePeriod: Int64 = 600_000) {
            self.outageTolerance = outageTolerance
            self.forGracePeriod = forGracePeriod
        }
    }

    /// Prometheus's `RestoreForState`, run once after the first evaluation following a start:
    /// each pending alert takes back the `activeAt` its `ALERTS_FOR_STATE` series recorded
    /// before the restart, shifted by the downtime, so that a restart neither resets a `for`
    /// timer nor makes an alert fire early; an alert whose remaining `for` is shorter than the
    /// grace period fires no sooner than the grace period. Rules with `for` below the grace
    /// period are not restored.
    mutating func restoreForState(at timestamp: Int64, querier: any Querier, options: RestoreOptions) {
        defer { restored = true }
        guard holdDuration >= options.forGracePeriod else { return }
        for identity in active.keys.sorted() {
            guard var alert = active[identity],
                  let (downAt, value) = lastForState(of: alert, querier: querier,
                                                     mint: timestamp - options.outageTolerance, maxt: timestamp),
                  !StaleMarker.isStale(value) else { continue }
            // Prometheus works in whole seconds here.
            let downAtSeconds = downAt / 1000 * 1000
            var activeAt = Int64(value) * 1000
            let remaining = holdDuration - (downAtSeconds - activeAt)
            if remaining <= 0 {
                // It was firing: it keeps its old activeAt, so the next evaluation makes it
                // fire again (Prometheus assigns the restored activeAt in every case).
            } else if remaining < options.forGracePeriod {
                activeAt = timestamp + options.forGracePeriod - holdDuration
            } else {
                activeAt += timestamp - downAtSeconds
            }
            alert.activeAt = activeAt
            active[identity] = alert
        }
    }

    /// The last `ALERTS_FOR_STATE` sample of exactly this alert's label set in `mint...maxt`.
    private func lastForState(of alert: Alert, querier: any Querier, mint: Int64, maxt: Int64) -> (Int64, Double)? {
        let labels = alert.labels.setting(Labels.metricName, to: "ALERTS_FOR_STATE")
        let matchers = labels.compactMap { try? LabelMatcher(.equal, $0.name, $0.value) }
        let series = querier.select(matchers, mint: mint, maxt: maxt).first { $0.labels.count == labels.count }
        guard let last = series?.samples.last else { return nil }
        return (last.timestamp, last.value)
    }
}
