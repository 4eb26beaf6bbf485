import NIOCore

/// Builds one response frame: a 4-byte size prefix, the response header, then the body
/// written by the caller directly into the same buffer (no intermediate copies, which matters
/// for a million-partition Metadata response).
struct ResponseFrame {
    private(set) var buffer: ByteBuffer

    /// Starts a frame for `correlationId` with the given response header version.
    init(allocator: ByteBufferAllocator, capacity: Int = 256, correlationId: Int32, headerVersion: Int) {
        buffer = allocator.buffer(capacity: capacity)
        buffer.writeInteger(Int32(0))
        writeResponseHeader(correlationId: correlationId, headerVersion: headerVersion, into: &buffer)
    }

    /// Writes the body with `write`.
    mutating func body(_ write: (inout ByteBuffer) -> Void) {
        write(&buffer)
    }

    /// The finished frame with its size prefix filled in. Consuming, so that the prefix is
    /// set in place rather than in a copy-on-write copy of the whole response.
    consuming func finished() -> ByteBuffer {
        buffer.setInteger(Int32(buffer.readableBytes - 4), at: buffer.readerIndex)
        return buffer
    }
}
