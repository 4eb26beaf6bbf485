import NIOCore

/// A decoded Metadata request (key 3, v0–v12).
struct MetadataRequest: Equatable {
    /// A requested topic: by name, or by id (v10+).
    enum TopicRef: Equatable {
        case name(String)
        case id(TopicID)
    }

    /// The requested topics; nil means all topics.
    var topics: [TopicRef]?
    /// Whether the client asked for the topics' authorized operations (v8+).
    var includeTopicAuthorizedOperations = false
    /// Whether the client asked for the cluster's authorized operations (v8–v10).
    var includeClusterAuthorizedOperations = false

    static func read(version: Int16, from buffer: inout ByteBuffer) throws -> MetadataRequest {
        let flexible = ApiKey.metadata.isFlexible(version)
        var request = MetadataRequest()
        if let count = try buffer.readKafkaArrayCount(compact: flexible) {
            var topics: [TopicRef] = []
            for _ in 0..<count {
                topics.append(try readTopic(version: version, flexible: flexible, from: &buffer))
            }
            // In v0 an empty list means all topics; from v1 on, null does.
            request.topics = version == 0 && topics.isEmpty ? nil : topics
        } else if version == 0 {
            throw WireError.invalid("null topic array in Metadata v0")
        }
        if version >= 4 { _ = try buffer.readKafkaBool() }  // allow_auto_topic_creation: we never create
        if version >= 8 && version <= 10 { request.includeClusterAuthorizedOperations = try buffer.readKafkaBool() }
        if version >= 8 { request.includeTopicAuthorizedOperations = try buffer.readKafkaBool() }
        if flexible { try buffer.skipTaggedFields() }
        return request
    }

    private static func readTopic(version: Int16, flexible: Bool, from buffer: inout ByteBuffer) throws -> TopicRef {
        var id: TopicID?
        if version >= 10 {
            let bytes = try buffer.readUUIDBytes()
            let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if high != 0 || low != 0 { id = TopicID(high: high, low: low) }
        }
        let name = try buffer.readKafkaString(compact: flexible)
        if flexible { try buffer.skipTaggedFields() }
        if let name { return .name(name) }
        guard let id else { throw WireError.invalid("Metadata topic with neither name nor id") }
        return .id(id)
    }
}
