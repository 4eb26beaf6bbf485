import Testing
@testable import Exporter

/// The collection schedule: steady while healthy, doubling after failures, capped.
@Suite struct CollectionBackoffTests {
    @Test(arguments: [
        (0, 30.0), (1, 30), (2, 60), (3, 120), (4, 120), (50, 120),
    ] as [(Int, Double)])
    func defaultCapIsFourIntervals(_ failures: Int, _ seconds: Double) {
        let backoff = CollectionBackoff(interval: .seconds(30))
        #expect(backoff.delay(afterConsecutiveFailures: failures) == .milliseconds(Int64(seconds * 1000)))
    }

    @Test func capNeverBelowInterval() {
        let backoff = CollectionBackoff(interval: .seconds(10), cap: .seconds(1))
        #expect(backoff.delay(afterConsecutiveFailures: 5) == .seconds(10))
    }

    @Test func longIntervalsCapAtFiveMinutes() {
        let backoff = CollectionBackoff(interval: .seconds(120))
        #expect(backoff.delay(afterConsecutiveFailures: 3) == .seconds(300))
    }
}
