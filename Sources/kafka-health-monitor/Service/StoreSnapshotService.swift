import Dispatch
import Logging
import ServiceLifecycle
import TimeSeries

/// Persists the store to `--storage.path`: every `interval`, and once more on graceful
/// shutdown (run first in the group, so it stops last, after the collector). The write
/// (encoding, fsync) runs on a Dispatch thread, off the cooperative pool.
struct StoreSnapshotService: Service {
    let store: Store
    let directory: String
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                await write()
            }
        }
        await write()
    }

    private func write() async {
        let store = store, directory = directory
        let error = await withCheckedContinuation { (continuation: CheckedContinuation<SnapshotError?, Never>) in
            DispatchQueue.global().async {
                do throws(SnapshotError) {
                    try store.writeSnapshot(to: directory)
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: error)
                }
            }
        }
        if let error { logger.error("cannot write the store snapshot to \(directory): \(error)") }
    }
}
