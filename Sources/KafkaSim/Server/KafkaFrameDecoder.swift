import NIOCore

/// Splits the byte stream of a Kafka connection into request frames (int32 size, then that
/// many bytes). A negative size or one above `maximumFrameSize` is an error, which closes the
/// connection before any memory is reserved for it.
struct KafkaFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    /// The largest request accepted (Kafka's `socket.request.max.bytes` is 100 MiB).
    static let maximumFrameSize = 100 * 1024 * 1024

    /// Thrown for a size prefix out of range.
    struct FrameTooLarge: Error, CustomStringConvertible {
        let size: Int32
        var description: String { "request frame size \(size) outside 0…\(KafkaFrameDecoder.maximumFrameSize)" }
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let size = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return .needMoreData }
        guard size >= 0, Int(size) <= Self.maximumFrameSize else { throw FrameTooLarge(size: size) }
        guard buffer.readableBytes >= 4 + Int(size) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        context.fireChannelRead(Self.wrapInboundOut(buffer.readSlice(length: Int(size))!))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer,
                             seenEOF: Bool) throws -> DecodingState {
        // A frame cut short by the peer closing is dropped with the connection.
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
