import NIOCore

/// Writes the `GET /state` document straight into a byte buffer: the same JSON as encoding a
/// `ClusterStateDocument`, but in one pass without intermediate objects, so that the state of a
/// million partitions costs seconds less and hundreds of megabytes less than `JSONEncoder`.
enum ClusterStateJSON {
    static func encode(_ model: ClusterModel, allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        let partitionCount = model.topics.reduce(0) { $0 + $1.partitions.count }
        var out = allocator.buffer(capacity: 1024 + partitionCount * 96)
        out.writeStaticString(#"{"brokers":["#)
        for (index, broker) in model.brokers.enumerated() {
            if index > 0 { out.writeStaticString(",") }
            out.writeStaticString(#"{"alive":"#)
            out.writeString(broker.alive ? "true" : "false")
            if let code = broker.injectedError {
                out.writeStaticString(#","error_code":"#)
                out.writeString(String(code))
            }
            out.writeStaticString(#","host":"#)
            writeJSONString(broker.host, into: &out)
            out.writeStaticString(#","id":"#)
            out.writeString(String(broker.id))
            out.writeStaticString(#","latency_ms":"#)
            out.writeString(String(broker.latency.milliseconds))
            out.writeStaticString(#","port":"#)
            out.writeString(String(broker.port))
            out.writeStaticString(#","replication":"#)
            writeJSONString(broker.replication.rawValue, into: &out)
            out.writeStaticString("}")
        }
        out.writeStaticString(#"],"cluster_id":"#)
        writeJSONString(model.clusterId, into: &out)
        out.writeStaticString(#","controller_id":"#)
        out.writeString(String(model.controllerId))
        out.writeStaticString(#","replica_lag_time_ms":"#)
        out.writeString(String(model.timing.replicaLagTime.milliseconds))
        out.writeStaticString(#","topics":["#)
        for (index, topic) in model.topics.enumerated() {
            if index > 0 { out.writeStaticString(",") }
            writeTopic(topic, into: &out)
        }
        out.writeStaticString("]}")
        return out
    }

    private static func writeTopic(_ topic: TopicState, into out: inout ByteBuffer) {
        out.writeStaticString(#"{"configs":{"#)
        for (index, config) in topic.configs.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { out.writeStaticString(",") }
            writeJSONString(config.key, into: &out)
            out.writeStaticString(":")
            writeJSONString(config.value, into: &out)
        }
        out.writeStaticString(#"},"id":"#)
        writeJSONString(topic.id.description, into: &out)
        out.writeStaticString(#","name":"#)
        writeJSONString(topic.name, into: &out)
        out.writeStaticString(#","partitions":["#)
        for (index, partition) in topic.partitions.enumerated() {
            if index > 0 { out.writeStaticString(",") }
            out.writeStaticString(#"{"isr":"#)
            writeIntArray(partition.isr, into: &out)
            out.writeStaticString(#","leader":"#)
            out.writeString(String(partition.leader))
            out.writeStaticString(#","leader_epoch":"#)
            out.writeString(String(partition.leaderEpoch))
            out.writeStaticString(#","partition":"#)
            out.writeString(String(index))
            out.writeStaticString(#","replicas":"#)
            writeIntArray(partition.replicas, into: &out)
            out.writeStaticString("}")
        }
        out.writeStaticString("]}")
    }

    private static func writeIntArray(_ values: [Int32], into out: inout ByteBuffer) {
        out.writeStaticString("[")
        for (index, value) in values.enumerated() {
            if index > 0 { out.writeStaticString(",") }
            out.writeString(String(value))
        }
        out.writeStaticString("]")
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func writeJSONString(_ value: String, into out: inout ByteBuffer) {
        out.writeStaticString("\"")
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.writeStaticString("\\\"")
            case UInt8(ascii: "\\"): out.writeStaticString("\\\\")
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                out.writeString("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: out.writeInteger(byte)
            }
        }
        out.writeStaticString("\"")
    }
}
