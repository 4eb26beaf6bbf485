import Foundation
import Testing
@testable import KafkaSim

/// Hostile bytes close the offending connection only: a normal client (kcat, and an already
/// open connection) keeps being served throughout.
@Suite(.timeLimit(.minutes(1)))
struct RobustnessTests {
    /// A malformed input and how the client stops sending it.
    struct Attack: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var thenHangUp = false
        var testDescription: String { name }
    }

    static let attacks: [Attack] = [
        Attack(name: "truncated frame", bytes: [0, 0, 0, 100] + [UInt8](repeating: 1, count: 10), thenHangUp: true),
        Attack(name: "truncated size prefix", bytes: [0, 0], thenHangUp: true),
        Attack(name: "HTTP garbage", bytes: Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)),
        Attack(name: "garbage header", bytes: [0, 0, 0, 8, 0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef]),
        Attack(name: "2 GiB length prefix", bytes: [0x7f, 0xff, 0xff, 0xff, 0, 3, 0, 1]),
        Attack(name: "negative length prefix", bytes: [0x80, 0, 0, 0, 0, 3, 0, 1]),
        Attack(name: "unknown API key", bytes: WireWriter.request(apiKey: 999, version: 0, correlationId: 1, flexible: false) { _ in }),
        Attack(name: "Metadata with a lying array count",
               bytes: WireWriter.request(apiKey: 3, version: 1, correlationId: 1, flexible: false) { $0.int32(Int32.max) }),
    ]

    @Test func everyAttackClosesOnlyItsConnection() async throws {
        let sim = try await TestCluster.start(topics: [TopicSpec(name: "dlq", partitions: 3, replicationFactor: 3)])
        let port = Int(sim.bootstrap.split(separator: ",")[0].split(separator: ":")[1])!
        let healthy = try await TestCluster.offPool { try RawConnection(port: port) }
        for attack in Self.attacks {
            let reply = try await TestCluster.offPool {
                let connection = try RawConnection(port: port)
                connection.send(attack.bytes)
                if attack.thenHangUp { connection.finishWriting() }
                return connection.receive()
            }
            #expect(reply == .closed, "\(attack.name)")
            // The same broker still answers a well-formed request on an older connection.
            // (Blocking socket calls run off the cooperative pool, as every blocking call here.)
            let answer = try await TestCluster.offPool {
                healthy.send(WireWriter.request(apiKey: 18, version: 0, correlationId: 5, flexible: false) { _ in })
                return healthy.receive()
            }
            guard case .frame(let frame) = answer else {
                Issue.record("healthy connection lost after \(attack.name)")
                break
            }
            #expect(Array(frame.prefix(4)) == [0, 0, 0, 5])
            if Kcat.available {
                let view = try await TestCluster.offPool { try Kcat.metadata(sim.bootstrap) }
                #expect(view.brokers.count == 3 && view.topics["dlq"]?.count == 3, "kcat after \(attack.name)")
            }
        }
        await sim.close()
    }

    @Test func aStoppedBrokerRefusesConnectionsAndRestartsOnTheSamePort() async throws {
        let sim = try await TestCluster.start(topics: [])
        let port = Int(sim.bootstrap.split(separator: ",")[1].split(separator: ":")[1])!
        let open = try await TestCluster.offPool { try RawConnection(port: port) }
        try await sim.cluster.stopBroker(2)
        #expect(try await TestCluster.offPool { open.receive() } == .closed, "open connections to a stopped broker close")
        #expect(throws: RawConnection.Failure.self) { try RawConnection(port: port) }
        try await sim.cluster.startBroker(2)
        let reply = try await TestCluster.offPool {
            let again = try RawConnection(port: port)
            again.send(WireWriter.request(apiKey: 18, version: 0, correlationId: 9, flexible: false) { _ in })
            return again.receive()
        }
        guard case .frame = reply else {
            Issue.record("no answer after restart")
            await sim.close()
            return
        }
        await sim.close()
    }
}
