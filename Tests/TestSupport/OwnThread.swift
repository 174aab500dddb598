import Foundation
import Glibc

/// Runs `work` on a thread of its own and returns its result.
///
/// For tests that block (a child process's exit, a socket read): off the cooperative pool,
/// they leave its threads to the timing-sensitive tests running alongside.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}

/// Runs `work`, a second or more of CPU in a debug build, off the cooperative pool, one such
/// body at a time, at a lower scheduling priority (nice 5).
///
/// On a 2-core machine five of these at once took both cores for half a minute at the start of
/// `swift test`, and every test that waits in real time beside them (a receive timeout, a log
/// writer's linger, an HTTP reply) ran seconds late. One at a time and niced, they use what the
/// timing tests leave. Not nice 19: beside CPU-bound processes outside the tests, that starved
/// the bodies for minutes.
public func cpuHeavy<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await onOwnThread {
        // On Linux a nice value is per thread: `who` 0 is the calling thread, not the process.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 5)
        heavyWorkTurn.wait()
        defer { heavyWorkTurn.signal() }
        return work()
    }
}

/// Whose turn it is to run a ``cpuHeavy`` body: one at a time in the whole test process.
private let heavyWorkTurn = DispatchSemaphore(value: 1)
