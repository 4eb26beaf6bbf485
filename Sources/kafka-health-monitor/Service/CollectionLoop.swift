import Exporter
import Foundation
import Logging
import ServiceLifecycle

/// The collection schedule as a `Service`: collect, then wait the interval (or the backoff
/// after failures), until graceful shutdown. A failed collection is a health fact, never a
/// reason to exit.
///
/// After the first collection (at once), collections run on the interval's grid (multiples
/// of the interval since the epoch) and their samples carry the grid time, the same times
/// rule groups of that interval evaluate at: each evaluation sees the collection of its own
/// timestamp, so a broker death pages one collection plus the rule's `for` after it happens,
/// not one more evaluation interval later.
struct CollectionLoop: Service {
    let monitor: HealthMonitor
    let backoff: CollectionBackoff
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var failures = 0
            var timestamp = Self.wallClock()
            while !Task.isCancelled {
                let report = await monitor.collectOnce(at: timestamp)
                failures = report.succeeded ? 0 : failures + 1
                let delay = backoff.delay(afterConsecutiveFailures: failures)
                if failures > 1 { logger.debug("collection failed \(failures) times in a row; next in \(delay)") }
                let now = Self.wallClock()
                timestamp = Self.nextCollection(after: timestamp, delay: delay.milliseconds,
                                                interval: backoff.interval.milliseconds, now: now)
                do { try await Task.sleep(for: .milliseconds(timestamp - now)) } catch { return }
            }
        }
    }

    /// The next collection time: the first point of the interval grid at least `delay` after
    /// the previous collection's time and after `now` (a collection that overran the
    /// interval skips the grid points it missed).
    static func nextCollection(after previous: Int64, delay: Int64, interval: Int64, now: Int64) -> Int64 {
        let earliest = max(previous + delay, now + 1)
        guard interval > 0 else { return earliest }
        return (earliest + interval - 1) / interval * interval
    }

    static func wallClock() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 { self / .milliseconds(1) >= Double(Int64.max) ? Int64.max : Int64(self / .milliseconds(1)) }
}
