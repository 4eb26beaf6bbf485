import Exporter
import Foundation
import Logging
import ServiceLifecycle

/// The collection schedule as a `Service`: collect, then wait the interval (or the backoff
/// after failures), until graceful shutdown. A failed collection is a health fact, never a
/// reason to exit.
struct CollectionLoop: Service {
    let monitor: HealthMonitor
    let backoff: CollectionBackoff
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var failures = 0
            while !Task.isCancelled {
                let timestamp = Int64((Date().timeIntervalSince1970 * 1000).rounded())
                let report = await monitor.collectOnce(at: timestamp)
                failures = report.succeeded ? 0 : failures + 1
                let delay = backoff.delay(afterConsecutiveFailures: failures)
                if failures > 1 { logger.debug("collection failed \(failures) times in a row; next in \(delay)") }
                do { try await Task.sleep(for: delay) } catch { return }
            }
        }
    }
}
