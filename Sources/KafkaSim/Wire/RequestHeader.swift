import NIOCore

/// A decoded request header (v1 or v2; v0 has no client id and no supported API uses it).
struct RequestHeader: Equatable {
    var apiKey: Int16
    var apiVersion: Int16
    var correlationId: Int32
    var clientId: String?

    /// Reads the fixed part of every header: api key, version, correlation id. The rest of the
    /// header depends on the API and version, read by `readRemainder`.
    static func readPrefix(from buffer: inout ByteBuffer) throws -> RequestHeader {
        let apiKey = try buffer.readKafkaInt16()
        let apiVersion = try buffer.readKafkaInt16()
        let correlationId = try buffer.readKafkaInt32()
        return RequestHeader(apiKey: apiKey, apiVersion: apiVersion, correlationId: correlationId, clientId: nil)
    }

    /// Reads the client id (a classic nullable string even in header v2) and, for header v2,
    /// the tagged fields.
    mutating func readRemainder(headerVersion: Int, from buffer: inout ByteBuffer) throws {
        guard headerVersion >= 1 else { return }
        clientId = try buffer.readKafkaString(compact: false)
        if headerVersion >= 2 { try buffer.skipTaggedFields() }
    }
}

/// Writes a response header: the correlation id, plus an empty tagged-field section for v1.
func writeResponseHeader(correlationId: Int32, headerVersion: Int, into buffer: inout ByteBuffer) {
    buffer.writeInteger(correlationId)
    buffer.writeEmptyTaggedFields(if: headerVersion >= 1)
}
