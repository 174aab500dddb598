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
/// The mutex and the value are allocated once, in `init`; `withLock` allocates nothing. The
/// value sits behind a pointer rather than in a stored property, so the lock alone guards it:
/// a stored `var` would add a runtime exclusivity check per call, which for an empty value
/// (a bare lock, `Locked(())`) TSan misreads as a write to the object racing with readers.
public final class Locked<Value>: @unchecked Sendable {  // the mutex serialises every access to `value`
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline let value: UnsafeMutablePointer<Value>

    public init(_ initialValue: consuming sending Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
        value = .allocate(capacity: 1)
        value.initialize(to: initialValue)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        value.deinitialize(count: 1)
        value.deallocate()
    }

    /// Runs `body` with the value while holding the lock and returns what it returns.
    /// `body` must not call `withLock` on the same instance (the lock is not recursive).
    @inlinable
    public func withLock<Result, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value.pointee)
    }
}
