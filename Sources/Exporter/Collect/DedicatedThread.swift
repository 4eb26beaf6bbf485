import Foundation

/// One OS thread that runs submitted jobs in order, for blocking C calls (librdkafka) that
/// must never occupy a thread of Swift's cooperative pool.
final class DedicatedThread: @unchecked Sendable {
    // `condition` guards `jobs` and `stopping`; the thread body touches them only under it.
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var stopping = false

    /// Starts the thread.
    init(name: String) {
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.start()
    }

    /// Runs `body` on the thread and returns its result to the awaiting task.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = submit { continuation.resume(with: Result { try body() }) }
            if !accepted { continuation.resume(throwing: CancellationError()) }
        }
    }

    /// Lets queued jobs finish, then ends the thread; later submissions are refused.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func submit(_ job: @escaping () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty && stopping {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
