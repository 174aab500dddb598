import HummingbirdCore
import Logging
import NIOCore

/// A server child channel with a ``SimConnectionGuard`` in front of everything `inner` sets up.
struct GuardedServerChannel<Inner: ServerChildChannel>: ServerChildChannel {
    let inner: Inner
    let headDeadline: TimeAmount
    /// Each connection's inbound bytes per second, past a first burst (``SimInboundBudget``).
    let bytesPerSecond: Int
    let burst: Int

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Inner.Value> {
        let (headDeadline, bytesPerSecond, burst) = (headDeadline, bytesPerSecond, burst)
        return channel.eventLoop.makeCompletedFuture {
            let budget = SimInboundBudget(bytesPerSecond: bytesPerSecond, burst: burst, now: .now)
            try channel.pipeline.syncOperations.addHandler(SimConnectionGuard(headDeadline: headDeadline, budget: budget))
        }.flatMap { inner.setup(channel: channel, logger: logger) }
    }

    func handle(value: Inner.Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
