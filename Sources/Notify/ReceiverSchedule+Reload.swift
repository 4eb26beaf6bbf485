import Foundation

extension ReceiverSchedule {
    /// The schedule of a receiver whose settings a reload changed from `previous` to
    /// `config`, taking over this schedule's state where the route allows: the same matchers
    /// and `group_by` keep every group, its timers and its notification log (nothing already
    /// notified is re-sent); changed matchers drop the alerts that no longer route here;
    /// changed `group_by` (or type) starts afresh, as Alertmanager's new group keys do, and
    /// voids the receiver's persisted notification log.
    func reloaded(from previous: ReceiverConfig, to config: ReceiverConfig, options: DeliveryOptions) -> ReceiverSchedule {
        guard previous.type == config.type else { return ReceiverSchedule(config, options: options) }
        let route = AlertRoute(config)
        let routeChanged = previous.match != config.match || previous.matchRE != config.matchRE
        let keep: (NotifyAlert) -> Bool = { !routeChanged || route.accepts($0.labels) }
        switch self {
        case .grouped(let grouper):
            guard previous.groupBy == config.groupBy else {
                return .grouped(AlertGrouper(settings: AlertGrouper.Settings(config), replacingLog: true))
            }
            return .grouped(grouper.reconfigured(AlertGrouper.Settings(config), keeping: keep))
        case .resend(var queue):
            queue.retain(where: keep)
            return .resend(queue)
        }
    }
}
