import NIOCore

/// Hooks for `khm-bench kafka-sim`: encodes a full Metadata response the way a broker does,
/// so the benchmark can time the encoder apart from the network and the client.
public enum MetadataEncodingBenchmark {
    /// Encodes the response to "Metadata of all topics" at `version` as broker 1 would send it
    /// and returns its size in bytes.
    public static func encodeAllTopics(_ model: ClusterModel, version: Int16) -> Int {
        let header = RequestHeader(apiKey: ApiKey.metadata.rawValue, apiVersion: version, correlationId: 1, clientId: nil)
        let response = MetadataResponder.respond(header: header, request: MetadataRequest(topics: nil),
                                                 broker: model.brokers[0], model: model, allocator: ByteBufferAllocator())
        return response.readableBytes
    }
}
