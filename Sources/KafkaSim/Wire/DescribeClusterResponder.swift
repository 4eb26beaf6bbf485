import NIOCore

/// DescribeCluster (key 60, v0–v1, always flexible): cluster id, controller, live brokers.
enum DescribeClusterResponder {
    static func respond(header: RequestHeader, body: inout ByteBuffer, broker: BrokerState,
                        model: ClusterModel, allocator: ByteBufferAllocator) throws -> ByteBuffer {
        let version = header.apiVersion
        let includeOperations = try body.readKafkaBool()
        if version >= 1 { _ = try body.readKafkaInt8() }  // endpoint_type: we only have brokers
        try body.skipTaggedFields()
        var frame = ResponseFrame(allocator: allocator, correlationId: header.correlationId, headerVersion: 1)
        frame.body { buffer in
            buffer.writeInteger(Int32(0))  // throttle_time_ms
            buffer.writeInteger(broker.injectedError ?? 0)
            buffer.writeKafkaString(broker.injectedError.map { "injected error \($0)" }, compact: true)
            if version >= 1 { buffer.writeInteger(Int8(1)) }  // endpoint_type: brokers
            buffer.writeKafkaString(model.clusterId, compact: true)
            buffer.writeInteger(model.controllerId)
            let live = model.brokers.filter(\.alive)
            buffer.writeKafkaArrayCount(live.count, compact: true)
            for member in live {
                buffer.writeInteger(member.id)
                buffer.writeKafkaString(member.host, compact: true)
                buffer.writeInteger(Int32(member.port))
                buffer.writeKafkaString(member.rack, compact: true)
                buffer.writeEmptyTaggedFields(if: true)
            }
            buffer.writeInteger(includeOperations ? MetadataResponder.allClusterOperations
                                                  : MetadataResponder.operationsNotRequested)
            buffer.writeEmptyTaggedFields(if: true)
        }
        return frame.finished()
    }
}
