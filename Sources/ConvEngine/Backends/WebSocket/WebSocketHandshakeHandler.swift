import NIOCore
import NIOHTTP1

/// Sends the WebSocket upgrade request on a connected channel and reports a handshake that fails.
///
/// It sits behind the HTTP client handlers until the upgrade succeeds, when it is removed. A
/// `101 Switching Protocols` never reaches it (the upgrade handler keeps it); any other
/// response is a refusal.
final class WebSocketHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    /// Its name in the pipeline, to remove it once the upgrade is done.
    static let name = "convtui.websocket-handshake"

    private let request: HTTPRequestHead
    private let fail: (String) -> Void

    /// - Parameter fail: ends the connection with a reason (the handler then closes the channel).
    init(request: HTTPRequestHead, fail: @escaping (String) -> Void) {
        self.request = request
        self.fail = fail
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Added to a connected channel: the request goes out now, behind the TLS handshake if any.
        context.write(wrapOutboundOut(.head(request)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let response) = unwrapInboundIn(data) else { return }
        fail("WebSocket upgrade refused: HTTP \(response.status.code) \(response.status.reasonPhrase)")
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(String(describing: error))
        context.close(promise: nil)
    }
}
