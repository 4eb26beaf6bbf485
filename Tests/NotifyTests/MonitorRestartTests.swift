import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The on-call engineer's view of a restart, with the built `kafka-health-monitor run`: an
/// alert that fires (`vector(1)`; Kafka is unreachable, which does not stop the rules) pages
/// once; the monitor is stopped (SIGTERM, or `kill -9`) and started again on the same
/// `--storage.path` with one more rule file; the new alert pages, the old one does not page
/// again.
@Suite("kafka-health-monitor restarts without duplicate pages", .serialized, .timeLimit(.minutes(1)))
struct MonitorRestartTests {
    @Test("a still-firing alert is not paged again after a restart", arguments: [SIGTERM, SIGKILL])
    func noDuplicatePage(signal: Int32) async throws {
        let directory = try TestPaths.temporaryDirectory("khm-nflog-run")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try HTTPReceiver()
        defer { server.stop() }
        let kafka = RefusingPort()
        defer { kafka.release() }
        try rule("AlwaysFiring").write(to: directory.appendingPathComponent("always.rules.yml"), atomically: true, encoding: .utf8)
        try """
            receivers:
              - name: oncall
                type: webhook
                url: http://127.0.0.1:\(server.port)/hook
                group_by: [alertname]
                group_wait: 0s
                group_interval: 500ms
            """.write(to: directory.appendingPathComponent("config.yml"), atomically: true, encoding: .utf8)
        let arguments = ["--config.file=\(directory.path)/config.yml", "--kafka.bootstrap-servers=127.0.0.1:\(kafka.port)",
                         "--collect.interval=250ms", "--rules.file=\(directory.path)/*.rules.yml",
                         "--storage.path=\(directory.path)/data"]

        let first = try MonitorProcess(arguments)
        #expect(await server.waitFor(1, timeout: 20).map(groupAndStatus) == ["{}:{alertname=\"AlwaysFiring\"} firing"],
                "first page: \(first.log)")
        // The outbox is at-least-once: killed between the POST and recording it as delivered,
        // the monitor sends it again after the restart. Kill only once it is recorded (the
        // queue is empty), so that what is tested is the notification log, not that window.
        let recorded = try await first.metrics(within: 10) {
            $0.contains("kafka_health_monitor_notification_queue_length{receiver=\"oncall\"} 0")
        }
        #expect(recorded.contains("kafka_health_monitor_notification_queue_length{receiver=\"oncall\"} 0"),
                "the first page was recorded as delivered")
        try await first.stop(with: signal)

        try rule("NewlyFiring").write(to: directory.appendingPathComponent("new.rules.yml"), atomically: true, encoding: .utf8)
        let second = try MonitorProcess(arguments)
        _ = await server.waitFor(2, timeout: 20)
        try await Task.sleep(for: .seconds(2))  // eight evaluations and four group intervals: a re-page would show
        #expect(server.received.map(groupAndStatus) == ["{}:{alertname=\"AlwaysFiring\"} firing",
                                                        "{}:{alertname=\"NewlyFiring\"} firing"],
                "second run: \(second.log)")
        #expect(second.log.contains("notification log resumed: 1 groups"))
        #expect(try await second.terminate() == 0)
    }
}

/// A rule file with one alert `name` that always fires.
private func rule(_ name: String) -> String {
    """
    groups:
      - name: \(name)
        rules:
          - alert: \(name)
            expr: vector(1)
    """
}
