import Foundation
import NIOCore
import Testing
@testable import KafkaSim

/// The hand-written `/state` JSON says exactly what the Codable document says.
struct ClusterStateJSONTests {
    @Test func decodesToTheSameDocumentAsTheModel() throws {
        var model = ClusterModel(brokerCount: 4, clusterId: "odd \"id\"\\ with\nnewline\u{1}", seed: 3)
        try model.createTopic("orders", partitions: 5, replicationFactor: 3, configs: ["note": "tab\there ünïcode"])
        try model.createTopic("single", partitions: 1, replicationFactor: 1)
        _ = try model.stopBroker(2, now: .zero)
        try model.setInjectedError(3, 5)
        try model.setLatency(4, .milliseconds(250))
        _ = model.advance(to: .seconds(30))
        var json = ClusterStateJSON.encode(model)
        let bytes = json.readBytes(length: json.readableBytes)!
        let decoded = try JSONDecoder().decode(ClusterStateDocument.self, from: Data(bytes))
        #expect(decoded == ClusterStateDocument(model))
        #expect(decoded.brokers[2].errorCode == 5 && decoded.brokers[3].latencyMs == 250)
    }
}
