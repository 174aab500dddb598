import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// A bare SwiftNIO WebSocket server on a free loopback port, for behaviour the simulator
/// cannot play: it accepts any upgrade, sends the frame `firstFrame` makes at once, then
/// reads every frame and answers none, pings included. `group` is the event loops it runs on
/// (the simulator's by default).
func rawWebSocketServer(
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    firstFrame: @escaping @Sendable (ByteBufferAllocator) -> WebSocketFrame
) async throws -> any Channel {
    try await ServerBootstrap(group: group)
        .childChannelInitializer { channel in
            let upgrader = NIOWebSocketServerUpgrader(
                shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
                upgradePipelineHandler: { channel, _ in
                    channel.writeAndFlush(firstFrame(channel.allocator), promise: nil)
                    return channel.eventLoop.makeSucceededVoidFuture()
                })
            return channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                    withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
            }
        }
        .bind(host: "127.0.0.1", port: 0)
        .get()
}
