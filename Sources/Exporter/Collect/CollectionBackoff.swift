/// When to collect next: every `interval` while collections succeed; after consecutive
/// failures, `interval` doubled per failure up to `cap`, so a broken cluster is not hammered
/// yet recovery is noticed within `cap`.
public struct CollectionBackoff: Sendable, Equatable {
    /// The normal time between collections.
    public var interval: Duration
    /// The longest wait after failures (never below `interval`).
    public var cap: Duration

    /// A schedule with the given interval; the cap defaults to 4 intervals, at most 5 minutes.
    public init(interval: Duration, cap: Duration? = nil) {
        self.interval = interval
        self.cap = max(interval, cap ?? min(interval * 4, .seconds(300)))
    }

    /// The wait after a collection, given how many collections in a row have now failed.
    public func delay(afterConsecutiveFailures failures: Int) -> Duration {
        guard failures > 1 else { return interval }
        var delay = interval
        for _ in 1..<min(failures, 32) where delay < cap { delay = delay * 2 }
        return min(delay, cap)
    }
}
