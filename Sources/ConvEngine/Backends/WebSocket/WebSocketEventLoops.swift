import NIOCore
import NIOPosix

/// The event loops every WebSocket transport's socket lives on: one per two cores, at least one.
///
/// A console's loops are lightly loaded, and a frame that reaches a sleeping loop pays for
/// waking it (`epoll_wait` returning, a context switch); fewer loops find more sockets ready
/// per wake-up and keep a session's lines and locks on fewer cores. SwiftNIO's shared group
/// has a loop per core, which suits servers that saturate them: for 200 busy ElevenLabs
/// conversations on 2 cores, one loop took about 12 % less CPU than two
/// (docs/benchmarks.md, vs-python-sdk), and half the cores still spread a heavy board.
enum WebSocketEventLoops {
    /// Created on first use and never shut down, like SwiftNIO's own shared group.
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, System.coreCount / 2))
}
