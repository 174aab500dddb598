import Synchronization

/// The latest value a producer published, with a version that moves on every publish.
///
/// Sessions publish after each batch of events; the render loop polls `read(ifNewerThan:)` with
/// the version it last drew and redraws only what moved. Neither side ever waits for the other
/// beyond a critical section that copies one reference-counted value.
public final class SnapshotChannel<Value: Sendable>: Sendable {
    private let storage: Locked<(version: UInt64, value: Value)>
    /// The version last published, read without the lock: the render loop checks every
    /// channel each tick (ten thousand in a large table), and most have not moved.
    @usableFromInline let latest = Atomic<UInt64>(1)

    /// Publishes also move `changes`, shared by a board's or a replay's channels.
    private let changes: ChangeSignal?

    public init(_ initial: Value, changes: ChangeSignal? = nil) {
        storage = Locked((version: 1, value: initial))
        self.changes = changes
    }

    /// Replaces the value and bumps the version.
    public func publish(_ value: Value) {
        storage.withLock {
            $0 = (version: $0.version &+ 1, value: value)
            latest.store($0.version, ordering: .releasing)
        }
        changes?.bump()
    }

    /// The current version and value.
    public func read() -> (version: UInt64, value: Value) {
        storage.withLock { $0 }
    }

    /// Whether a value newer than `version` was published. Inlinable, so that a caller in
    /// another module checking ten thousand channels ten times a second makes one atomic load
    /// each, not an unspecialized generic call: that call was most of an idle table's CPU.
    @inlinable
    public func hasMoved(since version: UInt64) -> Bool {
        latest.load(ordering: .acquiring) != version
    }

    /// The current version and value, or `nil` when the version is still `version`.
    public func read(ifNewerThan version: UInt64) -> (version: UInt64, value: Value)? {
        guard latest.load(ordering: .acquiring) != version else { return nil }
        return storage.withLock { $0.version == version ? nil : $0 }
    }

    /// The current version only.
    public var version: UInt64 {
        storage.withLock { $0.version }
    }
}
