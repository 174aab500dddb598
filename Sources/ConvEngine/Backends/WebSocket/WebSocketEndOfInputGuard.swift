import NIOCore

/// Holds the end of a connection's input back for one event-loop turn, so bytes that came in
/// just before it are handled first.
///
/// NIO's HTTP decoder leaves the pipeline one turn after the WebSocket upgrade's `101` (its
/// removal is deferred), and forwards the bytes it still holds then — unless it has seen the
/// end of the input first, in which case it drops them. A server that closes right after the
/// upgrade (a refusal with close 1008) sends its close frame with the `101` and the FIN, so
/// that frame was often lost (most of ten connections opened at once) and the run read
/// "connection lost (no close frame)". Delivered a turn later, the end comes after the decoder's removal, which was
/// scheduled first, and the close frame reaches the conversation before it. It sits between
/// TLS and the HTTP handlers; after the upgrade it only passes events on.
final class WebSocketEndOfInputGuard: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    func channelInactive(context: ChannelHandlerContext) {
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.eventLoop.execute { bound.value.fireChannelInactive() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event as? ChannelEvent == .inputClosed else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.eventLoop.execute { bound.value.fireUserInboundEventTriggered(ChannelEvent.inputClosed) }
    }
}
