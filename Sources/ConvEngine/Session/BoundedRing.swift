import Synchronization

/// The newest `capacity` elements of a sequence, oldest first.
///
/// Snapshots keep only a tail of the transcript and the event stream (the full history is in the
/// log on disk), so memory per session stays flat however long a conversation runs.
///
/// Elements live in chunks of 16 (``RingChunk``): full ones, oldest first, and the newest, not yet
/// full. A copy of the ring (a published snapshot) shares every chunk with the original, and an
/// append writes into the shared newest chunk, in a slot no copy can see: a copy sees only the
/// elements that were there when it was made. Editing an element copies its chunk if another
/// ring shares it; the list of full chunks is copied when a chunk fills up, once every 16
/// appends. Sessions publish after every batch of events, so this keeps the cost of an event
/// small and independent of the ring's size.
public struct BoundedRing<Element: Sendable>: Sendable, RandomAccessCollection {
    public let capacity: Int
    private static var chunkShift: Int { 4 }
    private static var chunkSize: Int { 1 << chunkShift }
    /// Full chunks, oldest first.
    private var chunks: [RingChunk<Element>] = []
    /// The newest elements (its first `tailCount` slots), logically the chunk after `chunks`.
    private var tail: RingChunk<Element>?
    /// Elements of `tail` that belong to this ring, fewer than `chunkSize`.
    private var tailCount = 0
    /// Elements of the first chunk (the tail while there is no full chunk) that already fell off the front.
    private var dropped = 0
    public private(set) var count = 0
    /// How many elements were ever appended, including those that fell off the front.
    public private(set) var totalAppended = 0

    public init(capacity: Int) {
        precondition(capacity > 0, "a ring needs room for at least one element")
        self.capacity = capacity
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Element {
        get {
            let (chunk, slot) = location(of: position)
            return chunk < chunks.count ? chunks[chunk].slots[slot] : tail!.slots[slot]
        }
        set {
            let (chunk, slot) = location(of: position)
            if chunk < chunks.count {
                if !isKnownUniquelyReferenced(&chunks[chunk]) { chunks[chunk] = chunks[chunk].copy(count: Self.chunkSize) }
                chunks[chunk].slots[slot] = newValue
            } else {
                if !isKnownUniquelyReferenced(&tail) { tail = tail!.copy(count: tailCount) }
                tail!.slots[slot] = newValue
            }
        }
    }

    private func location(of position: Int) -> (chunk: Int, slot: Int) {
        let p = position + dropped
        return (p >> Self.chunkShift, p & (Self.chunkSize - 1))
    }

    public mutating func append(_ element: Element) {
        totalAppended += 1
        if let shared = tail {
            if !shared.claim(slot: tailCount, for: element) {
                // A copy of this ring appended there first: this ring continues in a chunk of its own.
                let own = shared.copy(count: tailCount)
                _ = own.claim(slot: tailCount, for: element)
                tail = own
            }
        } else {
            let fresh = RingChunk<Element>(capacity: Self.chunkSize)
            _ = fresh.claim(slot: 0, for: element)
            tail = fresh
        }
        tailCount += 1
        if tailCount == Self.chunkSize {
            chunks.append(tail!)
            tail = nil
            tailCount = 0
        }
        count += 1
        if count > capacity {
            count -= 1
            dropped += 1
            // Only a full chunk can have all its elements dropped.
            if dropped == Self.chunkSize {
                chunks.removeFirst()
                dropped = 0
            }
        }
    }

    /// Whether `other` is a copy of this very ring that neither side has written since: the
    /// storage is shared until a write, so this is a constant-time test that lets a screen
    /// skip a transcript that did not change. False does not mean the contents differ.
    public func isIdentical(to other: BoundedRing) -> Bool {
        // An append changes the counts (even when it writes into a shared chunk); an edit gives
        // the editor a chunk of its own, and with it a chunk list of its own when the chunk is full.
        guard dropped == other.dropped, count == other.count, totalAppended == other.totalAppended else { return false }
        return Self.sameBuffer(chunks, other.chunks) && tail === other.tail
    }

    /// How many of the oldest elements are certainly those at the same positions of `older`,
    /// an earlier copy of this ring: the full chunks both still share were not written since
    /// (an edit gives the editor a chunk of its own while another ring shares it), so a screen
    /// lays out again only what follows them. A lower bound: fewer says nothing about the contents.
    public func sharedPrefixCount(with older: BoundedRing) -> Int {
        // Positions count every element ever appended; a chunk keeps its position for life.
        let base = totalAppended - count - dropped
        let olderBase = older.totalAppended - older.count - older.dropped
        var shared = 0
        while shared < chunks.count {
            let offset = base + (shared << Self.chunkShift) - olderBase
            guard offset >= 0, offset >> Self.chunkShift < older.chunks.count, chunks[shared] === older.chunks[offset >> Self.chunkShift]
            else { break }
            shared += 1
        }
        return Swift.max(0, (shared << Self.chunkShift) - dropped)
    }

    private static func sameBuffer<T>(_ a: [T], _ b: [T]) -> Bool {
        a.withUnsafeBufferPointer { mine in b.withUnsafeBufferPointer { theirs in mine.baseAddress == theirs.baseAddress } }
    }

    /// Index of the newest element matching `predicate`, looking back at most `limit` elements.
    /// The predicate reads each element where it lies, through a pointer valid only during the
    /// call: handing it a copy would retain and release every string the element holds, and the
    /// reducer looks back like this on every agent event.
    public func lastIndex(within limit: Int, where predicate: (UnsafePointer<Element>) -> Bool) -> Int? {
        var i = count - 1
        let stop = Swift.max(0, count - limit)
        while i >= stop {
            let p = i + dropped
            let chunk = p >> Self.chunkShift
            let found =
                predicate((chunk < chunks.count ? chunks[chunk].slots : tail!.slots) + (p & (Self.chunkSize - 1)))
            if found { return i }
            i -= 1
        }
        return nil
    }
}

extension BoundedRing: Equatable where Element: Equatable {
    public static func == (lhs: BoundedRing, rhs: BoundedRing) -> Bool {
        lhs.capacity == rhs.capacity && lhs.totalAppended == rhs.totalAppended && lhs.elementsEqual(rhs)
    }
}

/// Slots for one chunk of ``BoundedRing`` elements, shared by copies of a ring.
///
/// A slot is written once, by the ring that claims it, and read only by rings that saw it
/// written; slots are claimed in order by compare-and-exchange on `filled`, so copies of a
/// ring appending on different threads never write the same slot. A ring writes a claimed
/// slot again only while it holds the sole reference to the chunk.
final class RingChunk<Element: Sendable>: @unchecked Sendable {  // slots: written once under the claim above, or while unshared
    let slots: UnsafeMutablePointer<Element>
    private let capacity: Int
    /// Slots written so far, from the first; only grows.
    private let filled = Atomic<Int>(0)

    init(capacity: Int) {
        slots = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    deinit {
        slots.deinitialize(count: filled.load(ordering: .acquiring))
        slots.deallocate()
    }

    /// Writes `element` into `slot` if that is the first free slot; false when another ring
    /// took it first.
    func claim(slot: Int, for element: Element) -> Bool {
        guard filled.compareExchange(expected: slot, desired: slot + 1, ordering: .acquiringAndReleasing).exchanged else { return false }
        (slots + slot).initialize(to: element)
        return true
    }

    /// A chunk of its own holding the first `count` elements.
    func copy(count: Int) -> RingChunk {
        let copy = RingChunk(capacity: capacity)
        copy.slots.initialize(from: slots, count: count)
        copy.filled.store(count, ordering: .releasing)
        return copy
    }
}
