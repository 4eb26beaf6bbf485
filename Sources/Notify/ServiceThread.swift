import Foundation

/// A dedicated OS thread that sleeps until woken, a deadline passes, or it is stopped — the
/// home of Notify's blocking SQLite and libcurl calls, kept off Swift's cooperative pool.
///
/// The body runs once and loops by itself, calling `sleep(until:)` when idle and returning
/// when `isStopping` is true.
final class ServiceThread: @unchecked Sendable {
    // `woken` and `stopping` are guarded by `condition`'s lock.
    private let condition = NSCondition()
    private var woken = false
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `body` on a new thread called `name`.
    init(name: String, body: @escaping @Sendable (ServiceThread) -> Void) {
        let thread = Thread { [self] in
            body(self)
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Runs `change` under the thread's lock, then wakes the thread.
    func wake(_ change: () -> Void = {}) {
        condition.lock()
        change()
        woken = true
        condition.signal()
        condition.unlock()
    }

    /// Like `wake`, unless the thread is stopping: then nothing runs and it returns false.
    func wakeUnlessStopping(_ change: () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        change()
        woken = true
        condition.signal()
        return true
    }

    /// Runs `body` under the thread's lock (to read what `wake` changed).
    func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    /// Whether `stop()` was called.
    var isStopping: Bool { locked { stopping } }

    /// Blocks until woken, stopped or `deadline` (nil: no deadline); returns at once if woken
    /// since the last sleep.
    func sleep(until deadline: Date?) {
        condition.lock()
        if !woken && !stopping {
            // NSCondition.wait(until:) traps on distantFuture: wait plainly without a deadline.
            if let deadline { _ = condition.wait(until: deadline) } else { condition.wait() }
        }
        woken = false
        condition.unlock()
    }

    /// Asks the body to return and waits until it did. Idempotent.
    func stop() {
        wake { stopping = true }
        finished.wait()
        finished.signal()  // let any later or concurrent stop() return at once too
    }
}
