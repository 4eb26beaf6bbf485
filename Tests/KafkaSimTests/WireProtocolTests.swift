import NIOCore
import Testing
@testable import KafkaSim

/// Every supported API version, encoded by a test-side client and decoded per the message
/// schemas, answers what the model holds; what is not supported closes the connection.
struct WireProtocolTests {
    /// 3 brokers, the original topics trimmed, broker 2 stopped (so leaders moved and offline
    /// replicas show).
    static func model() -> ClusterModel {
        var model = ClusterModel(brokerCount: 3, clusterId: "wire-test-cluster")
        for id in Int32(1)...3 { try! model.setEndpoint(broker: id, host: "127.0.0.1", port: 9000 + Int(id)) }
        try! model.createTopic("messages", partitions: 10, replicationFactor: 3, startIndex: 0)
        try! model.createTopic("dlq", partitions: 3, replicationFactor: 3, startIndex: 0)
        _ = try! model.stopBroker(2, now: .zero)
        return model
    }

    /// Sends one request frame through the dispatcher; returns the response body after
    /// checking the size prefix, the correlation id and the header's tagged fields.
    static func exchange(_ frame: [UInt8], model: ClusterModel = model(), broker: Int32 = 1,
                         responseHeaderV1: Bool, correlationId: Int32 = 7) throws -> [UInt8]? {
        let request = ByteBuffer(bytes: frame.dropFirst(4))
        let outcome = RequestDispatcher.handle(request, broker: model.broker(broker)!, model: model,
                                               allocator: ByteBufferAllocator())
        guard case .respond(var response) = outcome else { return nil }
        let bytes = response.readBytes(length: response.readableBytes)!
        var reader = WireReader(bytes)
        #expect(Int(try reader.int32()) == bytes.count - 4)
        #expect(try reader.int32() == correlationId)
        try reader.tags(responseHeaderV1)
        return Array(bytes[reader.offset...])
    }

    static func metadataRequest(version: Int16, topics: [String]?) -> [UInt8] {
        let flexible = version >= 9
        return WireWriter.request(apiKey: 3, version: version, correlationId: 7, flexible: flexible) { body in
            body.arrayCount(version == 0 ? (topics?.count ?? 0) : topics?.count, compact: flexible)
            for name in topics ?? [] {
                if version >= 10 { body.bytes += [UInt8](repeating: 0, count: 16) }
                body.string(name, compact: flexible)
                body.tags(flexible)
            }
            if version >= 4 { body.bool(false) }
            if version >= 8 && version <= 10 { body.bool(false) }
            if version >= 8 { body.bool(true) }
            body.tags(flexible)
        }
    }

    @Test(arguments: Int16(0)...12)
    func metadataOfAllTopicsMatchesTheModel(version: Int16) throws {
        let model = Self.model()
        let body = try #require(try Self.exchange(Self.metadataRequest(version: version, topics: nil), model: model,
                                                  responseHeaderV1: version >= 9))
        let decoded = try DecodedMetadata.read(body, version: version)
        #expect(decoded.brokers == [.init(id: 1, host: "127.0.0.1", port: 9001), .init(id: 3, host: "127.0.0.1", port: 9003)])
        #expect(decoded.controllerId == (version >= 1 ? 1 : nil))
        #expect(decoded.clusterId == (version >= 2 ? "wire-test-cluster" : nil))
        #expect(decoded.topics.map(\.name) == ["messages", "dlq"])
        for (topic, state) in zip(decoded.topics, model.topics) {
            #expect(topic.error == 0)
            #expect(topic.partitions.map(\.leader) == state.partitions.map(\.leader))
            #expect(topic.partitions.map(\.replicas) == state.partitions.map(\.replicas))
            #expect(topic.partitions.map(\.isr) == state.partitions.map(\.isr))
            #expect(topic.partitions.map(\.index) == Array(0..<Int32(state.partitions.count)))
            #expect(topic.partitions.allSatisfy { $0.leader != 2 })
            if version >= 5 { #expect(topic.partitions.allSatisfy { $0.offline == [2] }) }
        }
    }

    @Test(arguments: [Int16(1), 4, 9, 12])
    func unknownTopicsGetAnErrorAndKnownOnesTheirPartitions(version: Int16) throws {
        let body = try #require(try Self.exchange(Self.metadataRequest(version: version, topics: ["dlq", "missing"]),
                                                  responseHeaderV1: version >= 9))
        let decoded = try DecodedMetadata.read(body, version: version)
        #expect(decoded.topics.map(\.name) == ["dlq", "missing"])
        #expect(decoded.topics.map(\.error) == [0, 3])
        #expect(decoded.topics.map(\.partitions.count) == [3, 0])
    }

    @Test func anOfflinePartitionHasNoLeaderAndErrorLeaderNotAvailable() throws {
        var model = Self.model()
        _ = try model.stopBroker(1, now: .zero)
        _ = try model.stopBroker(3, now: .zero)
        let body = try #require(try Self.exchange(Self.metadataRequest(version: 4, topics: ["dlq"]), model: model,
                                                  responseHeaderV1: false))
        let partitions = try DecodedMetadata.read(body, version: 4).topics[0].partitions
        #expect(partitions.allSatisfy { $0.leader == -1 && $0.error == 5 })
    }

    @Test(arguments: Int16(0)...3)
    func apiVersionsListsWhatWeSpeak(version: Int16) throws {
        let request = WireWriter.request(apiKey: 18, version: version, correlationId: 7, flexible: version >= 3) { body in
            if version >= 3 {
                body.string("test", compact: true)
                body.string("1.0", compact: true)
                body.tags(true)
            }
        }
        // ApiVersions responses always use header v0, whatever the version.
        let body = try #require(try Self.exchange(request, responseHeaderV1: false))
        var reader = WireReader(body)
        #expect(try reader.int16() == 0)
        var ranges: [Int16: ClosedRange<Int16>] = [:]
        for _ in 0..<(try reader.count(compact: version >= 3)) {
            let key = try reader.int16(), low = try reader.int16(), high = try reader.int16()
            try reader.tags(version >= 3)
            ranges[key] = low...high
        }
        #expect(ranges == [3: 0...12, 18: 0...3, 32: 0...4, 60: 0...1])
        if version >= 1 { #expect(try reader.int32() == 0) }
        try reader.tags(version >= 3)
        #expect(reader.remaining == 0)
    }

    @Test func apiVersionsBeyondOursAnswersUnsupportedVersionInAV0Body() throws {
        let request = WireWriter.request(apiKey: 18, version: 9, correlationId: 7, flexible: true) { _ in }
        var reader = WireReader(try #require(try Self.exchange(request, responseHeaderV1: false)))
        #expect(try reader.int16() == 35)
        #expect(try reader.count(compact: false) == 4)
    }

    @Test(arguments: Int16(0)...4)
    func describeConfigsReportsTheTopicsReplicationSettings(version: Int16) throws {
        let flexible = version >= 4
        let request = WireWriter.request(apiKey: 32, version: version, correlationId: 7, flexible: flexible) { body in
            body.arrayCount(2, compact: flexible)
            for name in ["messages", "missing"] {
                body.int8(2)
                body.string(name, compact: flexible)
                body.arrayCount(nil, compact: flexible)
                body.tags(flexible)
            }
            if version >= 1 { body.bool(true) }
            if version >= 3 { body.bool(false) }
            body.tags(flexible)
        }
        var reader = WireReader(try #require(try Self.exchange(request, responseHeaderV1: flexible)))
        _ = try reader.int32()
        #expect(try reader.count(compact: flexible) == 2)
        var results: [String: (Int16, [String: String])] = [:]
        for _ in 0..<2 {
            let error = try reader.int16()
            _ = try reader.string(compact: flexible)
            #expect(try reader.int8() == 2)
            let name = try reader.string(compact: flexible)!
            var configs: [String: String] = [:]
            for _ in 0..<(try reader.count(compact: flexible)) {
                let key = try reader.string(compact: flexible)!
                configs[key] = try reader.string(compact: flexible)
                _ = try reader.bool()
                if version == 0 { _ = try reader.bool() } else { _ = try reader.int8() }
                _ = try reader.bool()
                if version >= 1 {
                    for _ in 0..<(try reader.count(compact: flexible)) {
                        _ = try reader.string(compact: flexible)
                        _ = try reader.string(compact: flexible)
                        _ = try reader.int8()
                        try reader.tags(flexible)
                    }
                }
                if version >= 3 {
                    _ = try reader.int8()
                    _ = try reader.string(compact: flexible)
                }
                try reader.tags(flexible)
            }
            try reader.tags(flexible)
            results[name] = (error, configs)
        }
        try reader.tags(flexible)
        #expect(reader.remaining == 0)
        #expect(results["messages"]?.0 == 0)
        #expect(results["messages"]?.1["min.insync.replicas"] == "2")
        #expect(results["messages"]?.1["unclean.leader.election.enable"] == "false")
        #expect(results["missing"]?.0 == 3)
    }

    @Test(arguments: Int16(0)...1)
    func describeClusterNamesALiveController(version: Int16) throws {
        let request = WireWriter.request(apiKey: 60, version: version, correlationId: 7, flexible: true) { body in
            body.bool(false)
            if version >= 1 { body.int8(1) }
            body.tags(true)
        }
        var reader = WireReader(try #require(try Self.exchange(request, responseHeaderV1: true)))
        _ = try reader.int32()
        #expect(try reader.int16() == 0)
        _ = try reader.string(compact: true)
        if version >= 1 { #expect(try reader.int8() == 1) }
        #expect(try reader.string(compact: true) == "wire-test-cluster")
        #expect(try reader.int32() == 1)
        #expect(try reader.count(compact: true) == 2)
    }

    @Test func anInjectedErrorReachesEveryTopic() throws {
        var model = Self.model()
        try model.setInjectedError(1, 5)
        let body = try #require(try Self.exchange(Self.metadataRequest(version: 4, topics: nil), model: model,
                                                  responseHeaderV1: false))
        #expect(try DecodedMetadata.read(body, version: 4).topics.allSatisfy { $0.error == 5 && $0.partitions.isEmpty })
    }

    /// Requests the simulator cannot answer: Kafka closes the connection on these.
    @Test(arguments: [
        ("unknown API key", WireWriter.request(apiKey: 999, version: 0, correlationId: 7, flexible: false) { _ in }),
        ("unsupported Metadata version", WireWriter.request(apiKey: 3, version: 13, correlationId: 7, flexible: true) { _ in }),
        ("truncated Metadata body", Array(metadataRequest(version: 4, topics: ["dlq"]).dropLast(3))),
        ("header only", [0, 0, 0, 4, 0, 3, 0, 4]),
        ("huge array count", WireWriter.request(apiKey: 3, version: 1, correlationId: 7, flexible: false) { $0.int32(1 << 30) }),
    ])
    func unanswerableRequestsClose(name: String, frame: [UInt8]) throws {
        #expect(try Self.exchange(frame, responseHeaderV1: false) == nil, "\(name)")
    }
}

/// Tagged fields a newer client may add (in the request header v2 and in the body) are skipped.
struct TaggedFieldTests {
    @Test func unknownTaggedFieldsInHeaderAndBodyAreSkipped() throws {
        var message = WireWriter()
        message.int16(3)
        message.int16(12)
        message.int32(7)
        message.string("client", compact: false)
        message.bytes += [2, 0, 3, 0xaa, 0xbb, 0xcc, 5, 1, 0xdd]  // header: two tagged fields
        message.arrayCount(nil, compact: true)
        message.bool(false)
        message.bool(false)
        message.bytes += [1, 0x81, 0x01, 2, 0xee, 0xff]  // body: tag 129 with 2 bytes
        var frame = WireWriter()
        frame.int32(Int32(message.bytes.count))
        let body = try #require(try WireProtocolTests.exchange(frame.bytes + message.bytes, responseHeaderV1: true))
        #expect(try DecodedMetadata.read(body, version: 12).topics.count == 2)
    }
}

/// Metadata v10+ can ask for topics by id instead of name.
struct TopicIdLookupTests {
    static func requestByID(_ id: TopicID, version: Int16) -> [UInt8] {
        WireWriter.request(apiKey: 3, version: version, correlationId: 7, flexible: true) { body in
            body.arrayCount(1, compact: true)
            for half in [id.high, id.low] { withUnsafeBytes(of: half.bigEndian) { body.bytes += $0 } }
            body.string(nil, compact: true)
            body.tags(true)
            body.bool(false)
            if version == 10 { body.bool(false) }
            body.bool(false)
            body.tags(true)
        }
    }

    @Test(arguments: [Int16(10), 11, 12])
    func aKnownIdFindsItsTopicAndAnUnknownOneErrors(version: Int16) throws {
        let model = WireProtocolTests.model()
        let dlq = try #require(model.topic("dlq"))
        let found = try #require(try WireProtocolTests.exchange(Self.requestByID(dlq.id, version: version), model: model,
                                                                responseHeaderV1: true))
        let topic = try DecodedMetadata.read(found, version: version).topics[0]
        #expect(topic.error == 0 && topic.name == "dlq" && topic.partitions.count == 3)
        let missing = try #require(try WireProtocolTests.exchange(
            Self.requestByID(TopicID(high: 1, low: 2), version: version), model: model, responseHeaderV1: true))
        let unknown = try DecodedMetadata.read(missing, version: version).topics[0]
        #expect(unknown.error == 100)
        #expect(unknown.name == (version >= 12 ? nil : ""))
    }
}
