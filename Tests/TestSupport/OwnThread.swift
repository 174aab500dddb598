import Foundation

/// Runs `work` on a thread of its own and returns its result.
///
/// For tests that burn a second or more of CPU in a debug build: off the cooperative pool, they
/// leave it to the timing-sensitive tests running alongside.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
