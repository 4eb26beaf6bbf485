import NIOCore

/// DescribeConfigs (key 32, v0–v4): topic configs (`min.insync.replicas`,
/// `unclean.leader.election.enable` and Kafka's common defaults) and a few broker configs.
enum DescribeConfigsResponder {
    /// Kafka's resource types.
    static let topicResource: Int8 = 2
    static let brokerResource: Int8 = 4

    /// Kafka's config sources.
    enum Source: Int8 {
        case topic = 1, staticBroker = 4, defaultConfig = 5
    }

    /// One config entry of a result.
    struct Entry {
        var name: String
        var value: String
        var source: Source
        var type: TopicConfigs.ConfigType
    }

    /// One resource's result: an error or its entries.
    struct Result {
        var error: KafkaErrorCode = .none
        var message: String?
        var entries: [Entry] = []
    }

    static func respond(header: RequestHeader, request: DescribeConfigsRequest, broker: BrokerState,
                        model: ClusterModel, allocator: ByteBufferAllocator) -> ByteBuffer {
        let version = header.apiVersion
        let flexible = ApiKey.describeConfigs.isFlexible(version)
        var frame = ResponseFrame(allocator: allocator, correlationId: header.correlationId,
                                  headerVersion: ApiKey.describeConfigs.responseHeaderVersion(version))
        frame.body { buffer in
            buffer.writeInteger(Int32(0))  // throttle_time_ms
            buffer.writeKafkaArrayCount(request.resources.count, compact: flexible)
            for resource in request.resources {
                var result = describe(resource, model: model)
                if let code = broker.injectedError {
                    result = Result(error: KafkaErrorCode(rawValue: code) ?? .unknownServerError,
                                    message: "injected error \(code)")
                }
                buffer.writeInteger(result.error.rawValue)
                buffer.writeKafkaString(result.message, compact: flexible)
                buffer.writeInteger(resource.type)
                buffer.writeKafkaString(resource.name, compact: flexible)
                let entries = result.entries.filter { resource.keys?.contains($0.name) ?? true }
                buffer.writeKafkaArrayCount(entries.count, compact: flexible)
                for entry in entries {
                    write(entry, version: version, flexible: flexible, request: request, into: &buffer)
                }
                buffer.writeEmptyTaggedFields(if: flexible)
            }
            buffer.writeEmptyTaggedFields(if: flexible)
        }
        return frame.finished()
    }

    static func describe(_ resource: DescribeConfigsRequest.Resource, model: ClusterModel) -> Result {
        switch resource.type {
        case topicResource:
            guard let topic = model.topic(resource.name) else {
                return Result(error: .unknownTopicOrPartition, message: "topic \(resource.name) does not exist")
            }
            return Result(entries: topicEntries(topic))
        case brokerResource:
            guard let id = Int32(resource.name), let broker = model.broker(id) else {
                return Result(error: .invalidRequest, message: "unknown broker \(resource.name)")
            }
            let lagMs = model.timing.replicaLagTime.milliseconds
            return Result(entries: [
                Entry(name: "broker.id", value: "\(broker.id)", source: .staticBroker, type: .int),
                Entry(name: "replica.lag.time.max.ms", value: "\(lagMs)", source: .staticBroker, type: .long),
                Entry(name: TopicConfigs.uncleanLeaderElection, value: "false", source: .defaultConfig, type: .boolean),
            ])
        default:
            return Result(error: .invalidRequest, message: "unsupported resource type \(resource.type)")
        }
    }

    static func topicEntries(_ topic: TopicState) -> [Entry] {
        var entries = topic.configs.sorted { $0.key < $1.key }.map {
            Entry(name: $0.key, value: $0.value, source: .topic, type: TopicConfigs.type(of: $0.key))
        }
        for config in TopicConfigs.kafkaDefaults where topic.configs[config.name] == nil {
            entries.append(Entry(name: config.name, value: config.value, source: .defaultConfig, type: config.type))
        }
        return entries
    }

    static func write(_ entry: Entry, version: Int16, flexible: Bool, request: DescribeConfigsRequest,
                      into buffer: inout ByteBuffer) {
        buffer.writeKafkaString(entry.name, compact: flexible)
        buffer.writeKafkaString(entry.value, compact: flexible)
        buffer.writeKafkaBool(false)  // read_only
        if version == 0 { buffer.writeKafkaBool(entry.source == .defaultConfig) }  // is_default
        if version >= 1 { buffer.writeInteger(entry.source.rawValue) }
        buffer.writeKafkaBool(false)  // is_sensitive
        if version >= 1 {
            buffer.writeKafkaArrayCount(request.includeSynonyms ? 1 : 0, compact: flexible)
            if request.includeSynonyms {
                buffer.writeKafkaString(entry.name, compact: flexible)
                buffer.writeKafkaString(entry.value, compact: flexible)
                buffer.writeInteger(entry.source.rawValue)
                buffer.writeEmptyTaggedFields(if: flexible)
            }
        }
        if version >= 3 {
            buffer.writeInteger(entry.type.rawValue)
            buffer.writeKafkaString(nil, compact: flexible)  // documentation
        }
        buffer.writeEmptyTaggedFields(if: flexible)
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
