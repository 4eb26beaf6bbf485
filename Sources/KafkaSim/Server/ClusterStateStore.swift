import Foundation

/// The cluster model shared between the controls (which mutate it) and the brokers' request
/// handlers on the event loops (which read snapshots). A snapshot is a copy-on-write value, so
/// encoding a large response never holds the lock.
final class ClusterStateStore: @unchecked Sendable {
    private let lock = NSLock()
    private var model: ClusterModel

    init(_ model: ClusterModel) { self.model = model }

    /// The current model, as a value.
    func snapshot() -> ClusterModel {
        lock.withLock { model }
    }

    /// Runs `body` on the model under the lock.
    func mutate<T>(_ body: (inout ClusterModel) throws -> T) rethrows -> T {
        try lock.withLock { try body(&model) }
    }
}
