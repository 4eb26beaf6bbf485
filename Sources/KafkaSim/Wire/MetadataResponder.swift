import NIOCore

/// Metadata (key 3, v0–v12): the live brokers, the cluster id, a live controller, and each
/// requested topic's partitions with leader, epoch, replicas, ISR and offline replicas.
/// Written straight into the response buffer: a million partitions encode in one pass.
enum MetadataResponder {
    /// Kafka's bitfield for "every topic operation allowed" (READ…ALTER_CONFIGS).
    static let allTopicOperations: Int32 = 0b1101_1111_1000
    /// Kafka's bitfield for "every cluster operation allowed".
    static let allClusterOperations: Int32 = 0b1_1111_1010_0000
    /// The "not requested" sentinel of the authorized-operations fields.
    static let operationsNotRequested = Int32.min

    static func respond(header: RequestHeader, request: MetadataRequest, broker: BrokerState,
                        model: ClusterModel, allocator: ByteBufferAllocator) -> ByteBuffer {
        let version = header.apiVersion
        let flexible = ApiKey.metadata.isFlexible(version)
        let selected = select(request.topics, in: model)
        let partitionCount = selected.reduce(0) { $0 + ($1.topic?.partitions.count ?? 0) }
        var frame = ResponseFrame(allocator: allocator, capacity: 512 + partitionCount * 48,
                                  correlationId: header.correlationId,
                                  headerVersion: ApiKey.metadata.responseHeaderVersion(version))
        frame.body { buffer in
            if version >= 3 { buffer.writeInteger(Int32(0)) }  // throttle_time_ms
            writeBrokers(model.brokers.filter(\.alive), version: version, flexible: flexible, into: &buffer)
            if version >= 2 { buffer.writeKafkaString(model.clusterId, compact: flexible) }
            if version >= 1 { buffer.writeInteger(model.controllerId) }
            let alive = model.aliveTable
            buffer.writeKafkaArrayCount(selected.count, compact: flexible)
            for entry in selected {
                var entry = entry
                if let code = broker.injectedError { entry.error = code; entry.topic?.partitions = [] }
                writeTopic(entry, alive: alive, request: request, version: version, flexible: flexible, into: &buffer)
            }
            if version >= 8 && version <= 10 {
                buffer.writeInteger(request.includeClusterAuthorizedOperations
                                    ? allClusterOperations : operationsNotRequested)
            }
            buffer.writeEmptyTaggedFields(if: flexible)
        }
        return frame.finished()
    }

    /// One topic of the response: found (topic set) or an error for the name or id asked.
    struct Entry {
        var error: Int16
        var name: String?
        var id: TopicID?
        var topic: TopicState?
    }

    static func select(_ refs: [MetadataRequest.TopicRef]?, in model: ClusterModel) -> [Entry] {
        guard let refs else {
            return model.topics.map { Entry(error: 0, name: $0.name, id: $0.id, topic: $0) }
        }
        return refs.map { ref in
            switch ref {
            case .name(let name):
                guard let topic = model.topic(name) else {
                    return Entry(error: KafkaErrorCode.unknownTopicOrPartition.rawValue, name: name)
                }
                return Entry(error: 0, name: name, id: topic.id, topic: topic)
            case .id(let id):
                guard let topic = model.topics.first(where: { $0.id == id }) else {
                    return Entry(error: KafkaErrorCode.unknownTopicId.rawValue, id: id)
                }
                return Entry(error: 0, name: topic.name, id: id, topic: topic)
            }
        }
    }

    static func writeBrokers(_ brokers: [BrokerState], version: Int16, flexible: Bool, into buffer: inout ByteBuffer) {
        buffer.writeKafkaArrayCount(brokers.count, compact: flexible)
        for broker in brokers {
            buffer.writeInteger(broker.id)
            buffer.writeKafkaString(broker.host, compact: flexible)
            buffer.writeInteger(Int32(broker.port))
            if version >= 1 { buffer.writeKafkaString(broker.rack, compact: flexible) }
            buffer.writeEmptyTaggedFields(if: flexible)
        }
    }

    static func writeTopic(_ entry: Entry, alive: [Bool], request: MetadataRequest, version: Int16,
                           flexible: Bool, into buffer: inout ByteBuffer) {
        buffer.writeInteger(entry.error)
        // The name is nullable from v12 on (a topic asked by an unknown id has none).
        buffer.writeKafkaString(version >= 12 ? entry.name : (entry.name ?? ""), compact: flexible)
        if version >= 10 {
            buffer.writeInteger(entry.id?.high ?? 0)
            buffer.writeInteger(entry.id?.low ?? 0)
        }
        if version >= 1 { buffer.writeKafkaBool(entry.topic?.isInternal ?? false) }
        let partitions = entry.topic?.partitions ?? []
        buffer.writeKafkaArrayCount(partitions.count, compact: flexible)
        PartitionBlockWriter.write(partitions, alive: alive, version: version, flexible: flexible, into: &buffer)
        if version >= 8 {
            buffer.writeInteger(request.includeTopicAuthorizedOperations && entry.topic != nil
                                ? allTopicOperations : operationsNotRequested)
        }
        buffer.writeEmptyTaggedFields(if: flexible)
    }
}
