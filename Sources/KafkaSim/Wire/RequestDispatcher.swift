import NIOCore

/// Turns one request frame (without its size prefix) into a response frame, or into the
/// decision to close the connection. Pure: it reads the model snapshot it is given.
enum RequestDispatcher {
    /// What to do with a request.
    enum Outcome {
        /// Send this response frame.
        case respond(ByteBuffer)
        /// Close the connection, for this reason (logged).
        case close(String)
    }

    static func handle(_ frame: ByteBuffer, broker: BrokerState, model: ClusterModel,
                       allocator: ByteBufferAllocator) -> Outcome {
        var body = frame
        do {
            var header = try RequestHeader.readPrefix(from: &body)
            guard let api = ApiKey(rawValue: header.apiKey) else {
                // Kafka cannot parse a request of an API it does not know, and closes.
                return .close("unknown API key \(header.apiKey)")
            }
            if api == .apiVersions {
                if api.supportedVersions.contains(header.apiVersion) {
                    try header.readRemainder(headerVersion: api.requestHeaderVersion(header.apiVersion), from: &body)
                }
                return .respond(ApiVersionsResponder.respond(header: header, allocator: allocator))
            }
            guard api.supportedVersions.contains(header.apiVersion) else {
                // As Kafka: only ApiVersions answers an unsupported version; others close.
                return .close("unsupported \(api) version \(header.apiVersion)")
            }
            try header.readRemainder(headerVersion: api.requestHeaderVersion(header.apiVersion), from: &body)
            return .respond(try respond(api, header: header, body: &body, broker: broker, model: model, allocator: allocator))
        } catch let error as WireError {
            return .close(error.description)
        } catch {
            return .close("\(error)")
        }
    }

    private static func respond(_ api: ApiKey, header: RequestHeader, body: inout ByteBuffer, broker: BrokerState,
                                model: ClusterModel, allocator: ByteBufferAllocator) throws -> ByteBuffer {
        switch api {
        case .metadata:
            let request = try MetadataRequest.read(version: header.apiVersion, from: &body)
            return MetadataResponder.respond(header: header, request: request, broker: broker,
                                             model: model, allocator: allocator)
        case .describeConfigs:
            let request = try DescribeConfigsRequest.read(version: header.apiVersion, from: &body)
            return DescribeConfigsResponder.respond(header: header, request: request, broker: broker,
                                                    model: model, allocator: allocator)
        case .describeCluster:
            return try DescribeClusterResponder.respond(header: header, body: &body, broker: broker,
                                                        model: model, allocator: allocator)
        case .apiVersions:
            return ApiVersionsResponder.respond(header: header, allocator: allocator)
        }
    }
}
