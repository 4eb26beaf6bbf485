import Logging
import NIOCore

/// Answers the requests of one client connection to one simulated broker. Responses leave in
/// request order, delayed by the broker's injected latency; anything the dispatcher cannot
/// parse, and any decoder error, closes this connection only.
final class KafkaRequestHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let brokerId: Int32
    private let store: ClusterStateStore
    private let logger: Logger
    /// When the last scheduled response leaves, so that a later one never overtakes it.
    private var lastDeadline = NIODeadline.uptimeNanoseconds(0)

    init(brokerId: Int32, store: ClusterStateStore, logger: Logger) {
        self.brokerId = brokerId
        self.store = store
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let model = store.snapshot()
        guard let broker = model.broker(brokerId), broker.alive else {
            context.close(promise: nil)
            return
        }
        switch RequestDispatcher.handle(frame, broker: broker, model: model, allocator: context.channel.allocator) {
        case .respond(let response):
            send(response, after: broker.latency, context: context)
        case .close(let reason):
            logger.info("closing connection", metadata: ["broker": "\(brokerId)", "reason": "\(reason)"])
            context.close(promise: nil)
        }
    }

    private func send(_ response: ByteBuffer, after latency: Duration, context: ChannelHandlerContext) {
        guard latency > .zero || lastDeadline > .now() else {
            context.writeAndFlush(wrapOutboundOut(response), promise: nil)
            return
        }
        let deadline = max(NIODeadline.now() + TimeAmount(latency), lastDeadline)
        lastDeadline = deadline
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = bound.value
            context.writeAndFlush(handler.wrapOutboundOut(response), promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.info("closing connection", metadata: ["broker": "\(brokerId)", "reason": "\(error)"])
        context.close(promise: nil)
    }
}

extension TimeAmount {
    /// The same span as a Swift `Duration`, to the nanosecond.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
