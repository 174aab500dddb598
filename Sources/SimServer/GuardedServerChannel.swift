import HummingbirdCore
import Logging
import NIOCore

/// A server child channel with a ``SimConnectionGuard`` in front of everything `inner` sets up.
struct GuardedServerChannel<Inner: ServerChildChannel>: ServerChildChannel {
    let inner: Inner
    let headDeadline: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Inner.Value> {
        let headDeadline = headDeadline
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(SimConnectionGuard(headDeadline: headDeadline))
        }.flatMap { inner.setup(channel: channel, logger: logger) }
    }

    func handle(value: Inner.Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
