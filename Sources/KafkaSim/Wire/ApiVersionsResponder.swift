import NIOCore

/// ApiVersions (key 18): lists the APIs and versions the simulator speaks. A request for a
/// version beyond ours gets error 35 (UNSUPPORTED_VERSION) in a v0 body with our ranges, as
/// Kafka answers, so that the client can retry with a version we know.
enum ApiVersionsResponder {
    static func respond(header: RequestHeader, allocator: ByteBufferAllocator) -> ByteBuffer {
        let supported = ApiKey.apiVersions.supportedVersions.contains(header.apiVersion)
        let version = supported ? header.apiVersion : 0
        let flexible = ApiKey.apiVersions.isFlexible(version)
        var frame = ResponseFrame(allocator: allocator, correlationId: header.correlationId, headerVersion: 0)
        frame.body { buffer in
            let code: KafkaErrorCode = supported ? .none : .unsupportedVersion
            buffer.writeInteger(code.rawValue)
            let keys = ApiKey.allCases.sorted { $0.rawValue < $1.rawValue }
            buffer.writeKafkaArrayCount(keys.count, compact: flexible)
            for key in keys {
                buffer.writeInteger(key.rawValue)
                buffer.writeInteger(key.supportedVersions.lowerBound)
                buffer.writeInteger(key.supportedVersions.upperBound)
                buffer.writeEmptyTaggedFields(if: flexible)
            }
            if version >= 1 { buffer.writeInteger(Int32(0)) }  // throttle_time_ms
            buffer.writeEmptyTaggedFields(if: flexible)
        }
        return frame.finished()
    }
}
