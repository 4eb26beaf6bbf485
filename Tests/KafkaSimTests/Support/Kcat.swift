import Foundation
import TestSupport
@testable import KafkaSim

/// Runs Debian's `kcat -L -J` (a real librdkafka client) and reduces its JSON to the values
/// the tests compare: brokers, and per partition leader, replicas and ISR.
enum Kcat {
    static let path = "/usr/bin/kcat"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// What a metadata listing shows.
    struct View: Equatable {
        var brokers: [Int32: String] = [:]
        var controller: Int32 = -1
        /// topic → partitions in order, each (leader, replicas, isr).
        var topics: [String: [PartitionView]] = [:]
    }

    struct PartitionView: Equatable, CustomStringConvertible {
        var leader: Int32
        var replicas: [Int32]
        var isr: [Int32]
        var description: String { "leader \(leader) replicas \(replicas) isr \(isr)" }
    }

    private struct Listing: Decodable {
        struct Broker: Decodable { var id: Int32; var name: String }
        struct Replica: Decodable { var id: Int32 }
        struct Partition: Decodable { var partition: Int32; var leader: Int32; var replicas: [Replica]; var isrs: [Replica] }
        struct Topic: Decodable { var topic: String; var partitions: [Partition] }
        var controllerid: Int32
        var brokers: [Broker]
        var topics: [Topic]
    }

    /// Lists the cluster's metadata through `bootstrap`.
    static func metadata(_ bootstrap: String, timeout: TimeInterval = 30) throws -> View {
        let result = try Command.run(path, ["-L", "-J", "-b", bootstrap, "-m", "10", "-X", "topic.metadata.refresh.interval.ms=-1"],
                                     timeout: timeout)
        guard result.status == 0, let line = result.stdout.split(separator: "\n").last else {
            throw RawConnection.Failure(description: "kcat failed (\(result.status)): \(result.stderr)")
        }
        let listing = try JSONDecoder().decode(Listing.self, from: Data(line.utf8))
        var view = View(controller: listing.controllerid)
        for broker in listing.brokers { view.brokers[broker.id] = broker.name }
        for topic in listing.topics {
            view.topics[topic.topic] = topic.partitions.sorted { $0.partition < $1.partition }.map {
                PartitionView(leader: $0.leader, replicas: $0.replicas.map(\.id), isr: $0.isrs.map(\.id))
            }
        }
        return view
    }

    /// The same view of a `GET /state` document, for comparison.
    static func view(of state: ClusterStateDocument) -> View {
        var view = View(controller: state.controllerId)
        for broker in state.brokers where broker.alive { view.brokers[broker.id] = "\(broker.host):\(broker.port)" }
        for topic in state.topics {
            view.topics[topic.name] = topic.partitions.map { PartitionView(leader: $0.leader, replicas: $0.replicas, isr: $0.isr) }
        }
        return view
    }
}
