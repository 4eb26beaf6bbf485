import Foundation
import Testing
@testable import Notify

@Suite("Alertmanager receiver: Prometheus's resend schedule")
struct AlertmanagerResendQueueTests {
    /// What `flushDue` sends at `t`: `A1+@240` (firing, endsAt t+240) or `A1-@t` (resolved).
    private func sent(_ queue: inout AlertmanagerResendQueue, _ t: TimeInterval) -> [String] {
        guard let batch = queue.flushDue(now: at(t)) else { return [] }
        return batch.alerts.map { a in
            let state = a.isResolved(at: at(t)) ? "-" : "+"
            return "\(a.labels["alertname"]!)\(a.labels["id"]!)\(state)@\(Int(a.endsAt!.timeIntervalSince(epoch)))"
        }
    }

    @Test("firing alerts are sent at once, then every resend delay with endsAt 4 delays ahead")
    func firing() {
        var queue = AlertmanagerResendQueue()
        queue.insert(alert("A"), now: at(0))
        #expect(sent(&queue, 0) == ["A1+@240"])
        #expect(sent(&queue, 30) == [])
        queue.insert(alert("A"), now: at(45))  // the same alert again: nothing new
        #expect(sent(&queue, 59) == [])
        #expect(sent(&queue, 60) == ["A1+@300"])
    }

    @Test("a resolution is sent at once, resent for 15 minutes, then forgotten")
    func resolved() {
        var queue = AlertmanagerResendQueue()
        queue.insert(alert("A"), now: at(0))
        _ = sent(&queue, 0)
        queue.insert(alert("A", resolvedAt: 10), now: at(10))
        #expect(sent(&queue, 10) == ["A1-@10"])
        #expect(sent(&queue, 70) == ["A1-@10"])
        #expect(sent(&queue, 910) == ["A1-@10"])
        #expect(sent(&queue, 970) == [])
        #expect(queue.count == 0)
    }

    @Test("the next deadline is the earliest resend")
    func deadline() {
        var queue = AlertmanagerResendQueue(resendDelay: 5, resolvedRetention: 60)
        #expect(queue.nextDeadline == nil)
        queue.insert(alert("A"), now: at(0))
        _ = queue.flushDue(now: at(0))
        #expect(queue.nextDeadline == at(5))
    }
}
