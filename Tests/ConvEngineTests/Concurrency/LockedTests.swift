import Glibc
import Synchronization
import Testing
@testable import ConvEngine

@Suite("Locked")
struct LockedTests {
    private struct Counter {
        var count = 0
    }

    private struct Refused: Error {}

    /// How many bodies are running at once, and how often that was more than one.
    private final class Overlap: Sendable {
        let inside = Atomic<Int>(0)
        let seen = Atomic<Int>(0)
    }

    /// Many tasks do a read-then-write increment; without mutual exclusion updates get lost or
    /// two bodies overlap, which `Overlap` catches directly.
    @Test func contendedIncrementsGiveTheExactCount() async {
        let counter = Locked(Counter())
        let overlap = Overlap()
        let tasks = 8
        let increments = 5_000
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    for _ in 0..<increments {
                        counter.withLock { c in
                            if overlap.inside.add(1, ordering: .relaxed).newValue != 1 {
                                overlap.seen.add(1, ordering: .relaxed)
                            }
                            let seen = c.count
                            c.count = seen + 1
                            overlap.inside.subtract(1, ordering: .relaxed)
                        }
                    }
                }
            }
        }
        #expect(counter.withLock { $0.count } == tasks * increments)
        #expect(overlap.seen.load(ordering: .relaxed) == 0)
    }

    /// The body mutates the stored value in place: an array with spare capacity keeps its
    /// buffer across calls, which a copy-out-and-back would not (the append would copy it).
    @Test func bodyMutatesTheValueInPlace() {
        let bytes = Locked([UInt8]())
        let first = bytes.withLock { b in
            b.reserveCapacity(64)
            b.append(1)
            return b.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        }
        let second = bytes.withLock { b in
            b.append(2)
            return b.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        }
        #expect(first == second)
        #expect(bytes.withLock { $0 } == [1, 2])
    }

    /// A typed error comes out as itself, the mutation made before it stays, and the lock is
    /// free again afterwards.
    @Test func throwingBodyKeepsItsMutationAndReleasesTheLock() {
        let counter = Locked(Counter())
        #expect(throws: Refused.self) {
            try counter.withLock { c throws(Refused) in
                c.count = 7
                throw Refused()
            }
        }
        #expect(pthread_mutex_trylock(counter.mutex) == 0)
        pthread_mutex_unlock(counter.mutex)
        #expect(counter.withLock { $0.count } == 7)
    }

    @Test func releasesTheValueWithTheLock() {
        final class Token: Sendable {}
        weak var watched: Token?
        do {
            let token = Token()
            watched = token
            let locked = Locked(token)
            #expect(locked.withLock { $0 === watched })
        }
        #expect(watched == nil)
    }
}
