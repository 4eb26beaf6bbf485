import Foundation
import NIOCore
import NIOHTTP1

/// Collects one HTTP request, routes it (`ControlRoute`), runs it against the cluster and
/// writes the JSON answer.
final class ControlHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Request bodies above this size are refused.
    static let maximumBodySize = 1 << 20

    private let cluster: SimulatedCluster
    private var head: HTTPRequestHead?
    private var body = Data()

    init(cluster: SimulatedCluster) { self.cluster = cluster }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = Data()
        case .body(var chunk):
            // Past the limit, keep only the count (one byte over): the answer is 413 anyway.
            guard body.count <= Self.maximumBodySize else { return }
            body.append(contentsOf: chunk.readBytes(length: chunk.readableBytes) ?? [])
        case .end:
            guard let head else { return }
            self.head = nil
            let (method, uri, requestBody) = (head.method.rawValue, head.uri, body)
            let keepAlive = head.isKeepAlive
            let cluster = self.cluster
            let oversized = requestBody.count > Self.maximumBodySize
            let promise = context.eventLoop.makePromise(of: (Int, ByteBuffer).self)
            promise.completeWithTask {
                if oversized { return Self.error(413, "request body above \(Self.maximumBodySize) bytes") }
                return await Self.answer(method: method, uri: uri, body: requestBody, cluster: cluster)
            }
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess { status, json in
                let (handler, context) = bound.value
                handler.write(status: status, json: json, keepAlive: keepAlive, context: context)
            }
        }
    }

    static func answer(method: String, uri: String, body: Data, cluster: SimulatedCluster) async -> (Int, ByteBuffer) {
        do {
            switch try ControlRoute.parse(method: method, path: uri, body: body) {
            case .state:
                return (200, ClusterStateJSON.encode(await cluster.state()))
            case .perform(let action):
                try await cluster.perform(action)
                return (200, ByteBuffer(string: #"{"ok":true}"#))
            }
        } catch let refusal as ControlRoute.Refusal {
            return error(refusal.status, refusal.message)
        } catch let refusal as SimulatorError {
            let status = switch refusal.kind { case .notFound: 404; case .invalid: 400; case .conflict: 409 }
            return error(status, refusal.description)
        } catch {
            return Self.error(500, "\(error)")
        }
    }

    static func error(_ status: Int, _ message: String) -> (Int, ByteBuffer) {
        var json = ByteBuffer(string: #"{"error":"#)
        ClusterStateJSON.writeJSONString(message, into: &json)
        json.writeStaticString("}")
        return (status, json)
    }

    private func write(status: Int, json: ByteBuffer, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: "\(json.readableBytes)")
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(json))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
