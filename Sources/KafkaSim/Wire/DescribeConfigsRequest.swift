import NIOCore

/// A decoded DescribeConfigs request (key 32, v0–v4).
struct DescribeConfigsRequest: Equatable {
    /// One resource to describe.
    struct Resource: Equatable {
        var type: Int8
        var name: String
        /// The keys asked for; nil for all.
        var keys: [String]?
    }

    var resources: [Resource] = []
    var includeSynonyms = false
    var includeDocumentation = false

    static func read(version: Int16, from buffer: inout ByteBuffer) throws -> DescribeConfigsRequest {
        let flexible = ApiKey.describeConfigs.isFlexible(version)
        var request = DescribeConfigsRequest()
        let count = try buffer.readKafkaArrayCount(compact: flexible) ?? 0
        for _ in 0..<count {
            let type = try buffer.readKafkaInt8()
            guard let name = try buffer.readKafkaString(compact: flexible) else {
                throw WireError.invalid("null resource name")
            }
            var keys: [String]?
            if let keyCount = try buffer.readKafkaArrayCount(compact: flexible) {
                keys = []
                for _ in 0..<keyCount {
                    guard let key = try buffer.readKafkaString(compact: flexible) else {
                        throw WireError.invalid("null configuration key")
                    }
                    keys?.append(key)
                }
            }
            if flexible { try buffer.skipTaggedFields() }
            request.resources.append(Resource(type: type, name: name, keys: keys))
        }
        if version >= 1 { request.includeSynonyms = try buffer.readKafkaBool() }
        if version >= 3 { request.includeDocumentation = try buffer.readKafkaBool() }
        if flexible { try buffer.skipTaggedFields() }
        return request
    }
}
