import Synchronization

/// A count that moves whenever any of a group's ``SnapshotChannel``s publishes.
///
/// The render loop reads it once per tick and looks at each of ten thousand channels only when
/// it moved: reading every channel's version every tick touched ten thousand objects ten times
/// a second, most of an idle console's CPU.
public final class ChangeSignal: Sendable {
    @usableFromInline let count = Atomic<UInt64>(0)

    public init() {}

    /// Called by a channel after each publish.
    func bump() {
        count.wrappingAdd(1, ordering: .releasing)
    }

    /// The count now; a channel whose publish moved it is seen by a reader that reads this first.
    @inlinable
    public var value: UInt64 { count.load(ordering: .acquiring) }
}
