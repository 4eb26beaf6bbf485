import Foundation
import TestSupport
import Testing
@testable import KafkaSim

/// The HTTP control API: each route changes the cluster as documented, and bad requests get
/// a 4xx with a JSON error instead of changing anything.
@Suite(.timeLimit(.minutes(1)))
struct ControlAPITests {
    /// Requests that must be refused, with the status they get.
    static let refusals: [(method: String, path: String, body: String?, status: Int)] = [
        ("GET", "/nope", nil, 404),
        ("POST", "/brokers/9/stop", nil, 404),
        ("POST", "/brokers/x/stop", nil, 400),
        ("POST", "/topics", #"{"name": "t"}"#, 400),
        ("POST", "/topics", "not json", 400),
        ("POST", "/topics", #"{"name": "bad name", "partitions": 1, "replication_factor": 1}"#, 400),
        ("POST", "/topics", #"{"name": "dlq", "partitions": 1, "replication_factor": 1}"#, 409),
        ("DELETE", "/topics/missing", nil, 404),
        ("POST", "/topics/dlq/partitions/7/leader", #"{"leader": 1}"#, 404),
        ("POST", "/topics/dlq/partitions/0/isr", #"{"isr": [7]}"#, 400),
        ("POST", "/brokers/1/slow", #"{"latency": "soon"}"#, 400),
        ("POST", "/brokers/3/slow", #"{"latency": "1s"}"#, 409),
        ("POST", "/brokers/1/slow", #"{"latency": "1000000h", "lagging": false}"#, 400),
        ("POST", "/brokers/1/error", #"{"code": 70000}"#, 400),
        ("POST", "/topics/dlq/partitions/0/leader", #"{"leader": 3}"#, 409),
    ]

    @Test func refusesBadRequestsWithoutChangingTheCluster() async throws {
        let sim = try await TestCluster.start(topics: [TopicSpec(name: "dlq", partitions: 3, replicationFactor: 3)])
        try await sim.cluster.stopBroker(3)  // a stopped broker can be neither slowed nor made leader
        let before = try await sim.state()
        for refusal in Self.refusals {
            let response = try await HTTP.request(refusal.method, sim.controlURL + refusal.path, body: refusal.body)
            #expect(response.status == refusal.status, "\(refusal.method) \(refusal.path)")
            #expect(response.body.contains(#""error""#), "\(refusal.method) \(refusal.path)")
        }
        #expect(try await sim.state() == before)
        await sim.close()
    }

    @Test func topicPartitionAndBrokerControlsChangeTheState() async throws {
        let sim = try await TestCluster.start(topics: [])
        func post(_ path: String, _ body: String? = nil, method: String = "POST") async throws {
            let response = try await HTTP.request(method, sim.controlURL + path, body: body)
            #expect(response.status == 200, "\(method) \(path): \(response.body)")
        }
        try await post("/topics", #"{"name": "orders", "partitions": 4, "replication_factor": 3, "configs": {"retention.ms": "1000"}}"#)
        var state = try await sim.state()
        let orders = try #require(state.topics.first { $0.name == "orders" })
        #expect(orders.partitions.count == 4)
        #expect(orders.configs == ["min.insync.replicas": "2", "unclean.leader.election.enable": "false", "retention.ms": "1000"])

        let replicas = orders.partitions[0].replicas
        try await post("/topics/orders/partitions/0/leader", #"{"leader": \#(replicas[1])}"#)
        try await post("/topics/orders/partitions/1/isr", #"{"isr": [\#(orders.partitions[1].replicas[0])]}"#)
        try await post("/brokers/3/slow", #"{"latency": "50ms", "lagging": false}"#)
        try await post("/brokers/2/error", #"{"code": 5}"#)
        state = try await sim.state()
        #expect(state.topics[0].partitions[0].leader == replicas[1])
        #expect(state.topics[0].partitions[1].isr == [orders.partitions[1].replicas[0]])
        #expect(state.brokers[2].latencyMs == 50)
        #expect(state.brokers[1].errorCode == 5)

        try await post("/brokers/2/error", method: "DELETE")
        try await post("/brokers/3/slow", method: "DELETE")
        try await post("/topics/orders", method: "DELETE")
        state = try await sim.state()
        #expect(state.topics.isEmpty)
        #expect(state.brokers.allSatisfy { $0.errorCode == nil && $0.latencyMs == 0 })
        await sim.close()
    }

    @Test func aSlowBrokerAnswersLater() async throws {
        let sim = try await TestCluster.start(topics: [])
        try await sim.cluster.slowBroker(1, latency: .milliseconds(300), lagging: false)
        let port = Int(sim.bootstrap.split(separator: ",")[0].split(separator: ":")[1])!
        let elapsed = try await TestCluster.offPool { () -> TimeInterval in
            let connection = try RawConnection(port: port)
            let start = Date()
            for id in Int32(1)...3 {
                connection.send(WireWriter.request(apiKey: 18, version: 1, correlationId: id, flexible: false) { _ in })
            }
            var order: [UInt8] = []
            for _ in 1...3 {
                guard case .frame(let frame) = connection.receive() else { return 0 }
                order.append(frame[3])
            }
            #expect(order == [1, 2, 3], "responses keep request order")
            return Date().timeIntervalSince(start)
        }
        #expect(elapsed >= 0.3)
        await sim.close()
    }
}
