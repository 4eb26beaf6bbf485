import Foundation
import Testing
@testable import KafkaSim
#if canImport(Glibc)
import Glibc
#endif

/// A stopped broker keeps its port: clients are refused as by a dead broker, nobody else can
/// bind the port meanwhile, and the broker starts again on it. Two clusters never share one.
@Suite(.timeLimit(.minutes(1)))
struct BrokerPortHoldTests {
    @Test(arguments: SocketProbe.BindOptions.allCases)
    func aStoppedBrokersPortIsRefusedHeldAndServedAgainAfterRestart(other: SocketProbe.BindOptions) async throws {
        let sim = try await TestCluster.start(topics: [TopicSpec(name: "dlq", partitions: 3, replicationFactor: 3)])
        let port = try #require(try await sim.state().brokers.first { $0.id == 2 }?.port)
        try await sim.cluster.stopBroker(2)

        #expect(SocketProbe.connectError(port: port) == ECONNREFUSED, "a stopped broker refuses connections")
        #expect(SocketProbe.bindError(port: port, options: other) == EADDRINUSE, "nobody else binds its port")

        try await sim.cluster.startBroker(2)
        let metadata = try await Self.metadata(port: port)
        #expect(metadata.brokers.contains { $0.id == 2 && $0.port == Int32(port) }, "broker 2 is back in metadata")
        #expect(metadata.topics.map(\.name) == ["dlq"])
        await sim.close()
        #expect(try await Self.eventuallyFree(port), "shutdown gives the port back")
    }

    @Test func stopAndStartTwiceInARowKeepThePort() async throws {
        let sim = try await TestCluster.start(brokers: 1, topics: [])
        let port = try #require(try await sim.state().brokers.first?.port)
        for _ in 0..<2 {
            try await sim.cluster.stopBroker(1)
            try await sim.cluster.stopBroker(1)
            #expect(SocketProbe.bindError(port: port, options: .reuseAddress) == EADDRINUSE)
            try await sim.cluster.startBroker(1)
            try await sim.cluster.startBroker(1)
            #expect(try await Self.metadata(port: port).brokers.map(\.port) == [Int32(port)])
        }
        await sim.close()
    }

    @Test func aSecondClusterCannotTakeAPortThatARunningOrStoppedBrokerHas() async throws {
        let sim = try await TestCluster.start(brokers: 1, topics: [])
        let port = try #require(try await sim.state().brokers.first?.port)
        let intruder = SimulatedCluster(configuration: .init(brokers: 1, ports: [port]), logger: TestCluster.quiet)
        await #expect(throws: (any Error).self, "broker 1 listens") { try await intruder.start() }
        try await sim.cluster.stopBroker(1)
        await #expect(throws: (any Error).self, "broker 1 is stopped") { try await intruder.start() }
        try await sim.cluster.startBroker(1)
        #expect(try await Self.metadata(port: port).brokers.map(\.port) == [Int32(port)])
        await intruder.shutdown()
        await sim.close()
    }

    /// A child process forked while the broker runs holds a copy of the listening socket
    /// until it execs; the stop must stop that copy too, or it keeps accepting connections
    /// and, after the restart, takes some of them from the new listener (SO_REUSEPORT).
    @Test func aCopyOfTheListenerInAChildProcessStopsListeningWithTheBroker() async throws {
        let sim = try await TestCluster.start(brokers: 1, topics: [])
        let port = try #require(try await sim.state().brokers.first?.port)
        let copy = try #require(SocketProbe.duplicateOfListener(port: port))
        try await sim.cluster.stopBroker(1)
        #expect(SocketProbe.connectError(port: port) == ECONNREFUSED)
        try await sim.cluster.startBroker(1)
        for _ in 0..<20 {
            #expect(try await Self.metadata(port: port).brokers.map(\.port) == [Int32(port)])
        }
        close(copy)
        await sim.close()
    }

    @Test(.enabled(if: SocketProbe.canNarrowEphemeralRange, "needs Linux 6.3+ (IP_LOCAL_PORT_RANGE)"))
    func theKernelHandsAStoppedBrokersPortToNoEphemeralSocket() async throws {
        let sim = try await TestCluster.start(brokers: 2, topics: [])
        let ports = try await sim.state().brokers.map(\.port)
        try await sim.cluster.stopBroker(1)
        // Sockets allowed no other ephemeral port than broker 1's: the kernel refuses them.
        #expect(SocketProbe.ephemeralPortError(onlyPort: ports[0]) == EADDRINUSE, "bind to port 0")
        #expect(SocketProbe.ephemeralPortError(onlyPort: ports[0], connectingTo: ports[1]) == EADDRNOTAVAIL,
                "outgoing connection")
        await sim.close()
        // The control: once the cluster is shut down, the same request gets that very port.
        #expect(try await TestCluster.eventually(timeout: 5) { SocketProbe.ephemeralPortError(onlyPort: ports[0]) == 0 })
    }

    /// Whether a plain socket can bind `port` within a few seconds. Not at once: a child
    /// process that another test spawned may still hold a copy of the closed listener's
    /// descriptor (out of LISTEN, but bound) until it execs.
    static func eventuallyFree(_ port: Int) async throws -> Bool {
        try await TestCluster.eventually(timeout: 5) { SocketProbe.bindError(port: port, options: .plain) == 0 }
    }

    /// Metadata v12 of every topic, asked over a fresh connection to `port`.
    static func metadata(port: Int) async throws -> DecodedMetadata {
        let reply = try await TestCluster.offPool {
            let connection = try RawConnection(port: port)
            connection.send(WireProtocolTests.metadataRequest(version: 12, topics: nil))
            return connection.receive()
        }
        guard case .frame(let frame) = reply else { throw RawConnection.Failure(description: "no Metadata answer: \(reply)") }
        var reader = WireReader(frame)
        #expect(try reader.int32() == 7, "correlation id")
        try reader.tags(true)
        return try DecodedMetadata.read(Array(frame[reader.offset...]), version: 12)
    }
}
