import Foundation
import Testing
@testable import Notify
import TestSupport

/// Delivery against a real HTTP server on 127.0.0.1, with timings scaled down
/// (`fastDelivery`): every case from the issue, each a receiver behaviour.
@Suite("Delivery through libcurl", .serialized, .timeLimit(.minutes(1)))
struct DeliveryTests {
    @Test("success: one POST per notification, keep-alive reused, auth and headers sent")
    func success() async throws {
        let server = try HTTPReceiver()
        defer { server.stop() }
        var config = webhookReceiver(port: server.port)
        config.bearerToken = Secret("t0ps3cret")
        config.headers = ["X-Team": "kafka"]
        let harness = try DeliveryHarness([config])
        defer { harness.finish() }
        for name in ["A", "B", "C"] {
            await harness.dispatcher.send([firing(name)])
            await server.waitFor(["A", "B", "C"].firstIndex(of: name)! + 1, timeout: 5)
        }
        let requests = await server.waitFor(3, timeout: 5)
        #expect(requests.map(groupAndStatus) == ["{}:{alertname=\"A\"} firing", "{}:{alertname=\"B\"} firing",
                                                "{}:{alertname=\"C\"} firing"])
        #expect(requests.allSatisfy { $0.method == "POST" && $0.path == "/hook" })
        #expect(requests.allSatisfy { $0.headers["authorization"] == "Bearer t0ps3cret" && $0.headers["x-team"] == "kafka" })
        #expect(requests.allSatisfy { $0.headers["content-type"] == "application/json" })
        #expect(Set(requests.map(\.connection)) == [0], "one kept-alive connection")
        #expect(await harness.waitForMetrics { $0.latencyCount == 3 && $0.queueLength == 0 })
        let metrics = harness.metrics()
        #expect(metrics.notificationsTotal == 3 && metrics.notificationsFailedTotal == 0)
        #expect(!harness.logs.all.joined().contains("t0ps3cret"))
    }

    @Test("group_wait holds the first notification; alerts arriving meanwhile join it")
    func groupWait() async throws {
        let server = try HTTPReceiver()
        defer { server.stop() }
        var config = webhookReceiver(port: server.port)
        config.groupWait = PrometheusDuration(milliseconds: 400)
        let harness = try DeliveryHarness([config])
        defer { harness.finish() }
        let started = Date()
        var first = firing("A")
        first.startsAt = started  // a fresh alert: not yet older than group_wait
        await harness.dispatcher.send([first])
        var second = firing("A", extra: ["id": "2"])
        second.startsAt = started
        await harness.dispatcher.send([second])
        let requests = await server.waitFor(1, timeout: 5)
        try #require(requests.count == 1)
        #expect(requests[0].receivedAt.timeIntervalSince(started) >= 0.4)
        #expect((webhookMessage(requests[0])["alerts"] as? [Any])?.count == 2)
    }

    @Test("enqueue() from synchronous code keeps the order of calls: a resolution never overtakes its firing")
    func enqueueKeepsOrder() async throws {
        let server = try HTTPReceiver()
        defer { server.stop() }
        var config = webhookReceiver(port: server.port)
        config.groupInterval = PrometheusDuration(milliseconds: 1)
        let harness = try DeliveryHarness([config])
        defer { harness.finish() }
        for round in 0..<5 {
            harness.dispatcher.enqueue([firing("A\(round)")])
            try await Task.sleep(nanoseconds: 2_000_000)  // past group_interval
            harness.dispatcher.enqueue([resolved("A\(round)")])
        }
        let requests = await server.waitFor(10, timeout: 5)
        for round in 0..<5 {
            #expect(requests.map(groupAndStatus).filter { $0.contains("\"A\(round)\"") }
                == ["{}:{alertname=\"A\(round)\"} firing", "{}:{alertname=\"A\(round)\"} resolved"])
        }
    }

    @Test("500 then success: the same notification is retried")
    func serverErrorThenSuccess() async throws {
        let server = try HTTPReceiver { _, index in index < 2 ? .status(500, body: "oops") : .status(200) }
        defer { server.stop() }
        let harness = try DeliveryHarness([webhookReceiver(port: server.port)])
        defer { harness.finish() }
        await harness.dispatcher.send([firing("A")])
        let requests = await server.waitFor(3, timeout: 5)
        #expect(requests.count == 3 && Set(requests.map(\.body)).count == 1)
        #expect(await harness.waitForMetrics { $0.queueLength == 0 && $0.latencyCount == 1 })
        #expect(harness.metrics().notificationsTotal == 3 && harness.metrics().notificationsFailedTotal == 2)
    }

    @Test("429 with Retry-After: the retry waits as long as the server asked")
    func retryAfter() async throws {
        let server = try HTTPReceiver { _, index in index == 0 ? .status(429, headers: ["Retry-After": "1"]) : .status(200) }
        defer { server.stop() }
        let harness = try DeliveryHarness([webhookReceiver(port: server.port)])
        defer { harness.finish() }
        await harness.dispatcher.send([firing("A")])
        let requests = await server.waitFor(2, timeout: 5)
        try #require(requests.count == 2)
        let gap = requests[1].receivedAt.timeIntervalSince(requests[0].receivedAt)
        #expect(gap >= 0.95 && gap < 2, "backoff alone would be 50 ms; Retry-After says 1 s")
    }

    @Test("connection refused for a while, then up: everything arrives, in order per group")
    func refusedThenUp() async throws {
        let down = RefusingPort()
        let harness = try DeliveryHarness([webhookReceiver(port: down.port)])
        defer { harness.finish() }
        let names = ["A", "B", "C", "D", "E"]
        let refusedSince = Date()
        await harness.dispatcher.send(names.map { firing($0) })
        #expect(await harness.waitForMetrics { $0.queueLength == 5 }, "\(harness.logs.all)")
        try await Task.sleep(nanoseconds: 150_000_000)  // past group_interval
        await harness.dispatcher.send(names.map { resolved($0) })
        // The group timers flush the resolutions; nothing is delivered or dropped meanwhile.
        #expect(await harness.waitForMetrics { $0.queueLength == 10 }, "\(harness.logs.all)")
        try await Task.sleep(nanoseconds: 2_000_000_000)  // the "30 s refused", scaled down
        // The endpoint keeps being probed while down...
        #expect(await harness.waitForMetrics { $0.notificationsFailedTotal >= 3 })
        // ...but one probe per backoff period for the whole endpoint, not one per group: the
        // backoff (40, 80, 160 ms, then at least 320 ms with jitter) allows at most this many
        // in the time that really passed (a loaded machine only stretches it); one probe per
        // group would be five times as many.
        let failed = harness.metrics().notificationsFailedTotal
        let elapsed = Date().timeIntervalSince(refusedSince)
        #expect(failed <= 5 + Int(elapsed / 0.32), "\(failed) probes in \(elapsed) s")
        let server = try HTTPReceiver(listeningOn: down)
        defer { server.stop() }
        let requests = await server.waitFor(10, timeout: 10)
        #expect(requests.count == 10)
        for name in names {
            #expect(requests.map(groupAndStatus).filter { $0.contains("\"\(name)\"") }
                == ["{}:{alertname=\"\(name)\"} firing", "{}:{alertname=\"\(name)\"} resolved"])
        }
        #expect(await harness.waitForMetrics { $0.queueLength == 0 })
    }

    @Test("a receiver that never answers times out, is retried, and stops cleanly")
    func neverAnswers() async throws {
        let server = try HTTPReceiver { _, index in index < 2 ? .hang : .status(200) }
        defer { server.stop() }
        let harness = try DeliveryHarness([webhookReceiver(port: server.port, timeout: 300)])
        await harness.dispatcher.send([firing("A")])
        #expect(await server.waitFor(3, timeout: 5).count >= 3)
        #expect(await harness.waitForMetrics { $0.queueLength == 0 })
        // Every attempt but the delivered one failed: the two that hung, and on a loaded
        // machine perhaps an answered one that came later than the 300 ms timeout.
        #expect(harness.metrics().notificationsFailedTotal == server.received.count - 1)
        #expect(harness.logs.all.contains { $0.contains("Timeout was reached") })
        let started = Date()
        harness.finish()
        #expect(Date().timeIntervalSince(started) < 1, "shutdown does not wait on a stuck request")
    }

    @Test("shutdown during a hanging request returns within the timeout")
    func shutdownWhileHanging() async throws {
        let server = try HTTPReceiver { _, _ in .hang }
        defer { server.stop() }
        let harness = try DeliveryHarness([webhookReceiver(port: server.port, timeout: 500)])
        await harness.dispatcher.send([firing("A")])
        await server.waitFor(1, timeout: 5)
        let started = Date()
        harness.finish()
        #expect(Date().timeIntervalSince(started) < 1.5)
    }

    @Test("send() returns as soon as the outbox has the notification, even while the receiver hangs")
    func sendDoesNotWaitForDelivery() async throws {
        let server = try HTTPReceiver { _, _ in .hang }
        defer { server.stop() }
        let harness = try DeliveryHarness([webhookReceiver(port: server.port, timeout: 5000)])
        await harness.dispatcher.send([firing("A")])
        await server.waitFor(1, timeout: 5)
        let started = Date()
        await harness.dispatcher.send([firing("B")])
        #expect(Date().timeIntervalSince(started) < 1.5, "not the 5 s the hanging attempt takes")
        #expect(harness.metrics().queueLength == 2)
        server.stop()  // lets the hanging attempt fail at once, so finish() is quick
        harness.finish()
    }

    @Test("send() after shutdown returns, and says the notifications were dropped")
    func sendAfterShutdown() async throws {
        let down = RefusingPort()
        let harness = try DeliveryHarness([webhookReceiver(port: down.port)])
        harness.dispatcher.shutdown()
        await harness.dispatcher.send([firing("A")])
        #expect(harness.logs.all.contains { $0.contains("notifications sent after shutdown are dropped") })
        harness.finish()
    }

    @Test("400 is not retried, and the body's first line is logged")
    func badRequest() async throws {
        let server = try HTTPReceiver { _, _ in .status(400, body: "unknown field \"x\"\nat line 1") }
        defer { server.stop() }
        let harness = try DeliveryHarness([webhookReceiver(port: server.port)])
        defer { harness.finish() }
        await harness.dispatcher.send([firing("A")])
        #expect(await harness.waitForMetrics { $0.notificationsDroppedTotal == 1 && $0.queueLength == 0 })
        try await Task.sleep(nanoseconds: 300_000_000)  // several backoffs: no retry may come
        #expect(server.received.count == 1)
        #expect(harness.logs.all.contains { $0.contains("not retried: HTTP 400: unknown field \"x\"") && !$0.contains("at line 1") })
    }

    @Test("a receiver down for long keeps only the newest notifications, counting the dropped")
    func boundedOutbox() async throws {
        let down = RefusingPort()
        var config = webhookReceiver(port: down.port)
        config.queueCapacity = 3
        let harness = try DeliveryHarness([config])
        defer { harness.finish() }
        for name in ["A", "B", "C", "D", "E"] { await harness.dispatcher.send([firing(name)]) }
        #expect(await harness.waitForMetrics { $0.queueLength == 3 && $0.notificationsDroppedTotal == 2 })
        #expect(harness.logs.all.contains { $0.contains("outbox full, dropped the oldest notifications") })
        #expect(harness.dispatcher.metrics().prometheusText().contains(
            "kafka_health_monitor_notifications_dropped_total{receiver=\"oncall\"} 2"))
        let server = try HTTPReceiver(listeningOn: down)
        defer { server.stop() }
        let groups = await server.waitFor(3, timeout: 5).map(groupAndStatus).sorted()
        #expect(groups == ["{}:{alertname=\"C\"} firing", "{}:{alertname=\"D\"} firing", "{}:{alertname=\"E\"} firing"])
    }

    @Test("matchers route alerts to the receivers that want them; the exposition names every receiver")
    func routing() async throws {
        let server = try HTTPReceiver()
        defer { server.stop() }
        var critical = webhookReceiver("critical", port: server.port)
        critical.match = ["severity": "critical"]
        let all = webhookReceiver("all", port: server.port)
        let harness = try DeliveryHarness([critical, all])
        defer { harness.finish() }
        await harness.dispatcher.send([firing("A", extra: ["severity": "warning"]),
                                       firing("B", extra: ["severity": "critical"])])
        let receivers = await server.waitFor(3, timeout: 5).map { "\(webhookMessage($0)["receiver"]!) \(groupAndStatus($0))" }.sorted()
        #expect(receivers == ["all {}:{alertname=\"A\"} firing", "all {}:{alertname=\"B\"} firing",
                              "critical {}:{alertname=\"B\"} firing"])
        #expect(await harness.waitForMetrics("all") { $0.latencyCount == 2 && $0.queueLength == 0 })
        #expect(await harness.waitForMetrics("critical") { $0.latencyCount == 1 && $0.queueLength == 0 })
        let text = harness.dispatcher.metrics().prometheusText()
        #expect(text.contains("kafka_health_monitor_notifications_total{receiver=\"all\"} 2"))
        #expect(text.contains("kafka_health_monitor_notification_queue_length{receiver=\"critical\"} 0"))
        #expect(text.contains("kafka_health_monitor_notification_latency_seconds_count{receiver=\"all\"} 2"))
    }
}
