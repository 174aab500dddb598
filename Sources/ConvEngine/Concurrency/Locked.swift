#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value that is only reached under a lock, with the same `withLock` shape as
/// `Synchronization.Mutex`.
///
/// Backed by a `pthread_mutex_t`, which ThreadSanitizer understands; `Mutex` locks with futex
/// calls on Linux that TSan does not see, so every access behind it was reported as a race.
/// The mutex is allocated once with the value; `withLock` allocates nothing.
public final class Locked<Value>: @unchecked Sendable {  // the mutex serialises every access to `value`
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline var value: Value

    public init(_ initialValue: consuming sending Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
        value = initialValue
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value while holding the lock and returns what it returns.
    /// `body` must not call `withLock` on the same instance (the lock is not recursive).
    @inlinable
    public func withLock<Result, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
