import NIOPosix

/// Work deferred to the end of the current SwiftNIO event-loop iteration.
///
/// A WebSocket transport handles each frame on its channel's event loop, and the loop handles
/// every socket that woke it before it runs its queued tasks. Output produced while handling
/// frames (headless JSON lines) can so be gathered and written once per iteration instead of
/// once per event, without a timer, another thread or a delay beyond the iteration itself.
public enum EventLoopTick {
    /// Queues work to run once the current iteration's I/O is handled.
    public typealias Deferral = @Sendable (@escaping @Sendable () -> Void) -> Void

    /// On an event-loop thread, how to queue work on that loop for after the current
    /// iteration's I/O; nil on any other thread.
    public static func current() -> Deferral? {
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop else { return nil }
        // Queued from the loop itself, a task wakes nothing: it runs after the current batch.
        return { loop.execute($0) }
    }
}
