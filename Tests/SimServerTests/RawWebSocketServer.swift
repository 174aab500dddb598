import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// A bare SwiftNIO WebSocket server on a free loopback port, for behaviour the simulator
/// cannot play: it accepts any upgrade, sends the frames `frames` makes at once (then, with
/// `hangUp`, closes the socket), then reads every frame and answers none, pings included.
/// `group` is the event loops it runs on (the simulator's by default).
func rawWebSocketServer(
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, hangUp: Bool = false,
    frames: @escaping @Sendable (ByteBufferAllocator) -> [WebSocketFrame]
) async throws -> any Channel {
    try await ServerBootstrap(group: group)
        .childChannelInitializer { channel in
            let upgrader = NIOWebSocketServerUpgrader(
                shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
                upgradePipelineHandler: { channel, _ in
                    let all = frames(channel.allocator)
                    let written = channel.eventLoop.makePromise(of: Void.self)
                    for (index, frame) in all.enumerated() { channel.write(frame, promise: index == all.count - 1 ? written : nil) }
                    channel.flush()
                    if all.isEmpty { written.succeed() }
                    if hangUp { written.futureResult.whenComplete { _ in channel.close(promise: nil) } }
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
