/// The newest `capacity` elements of a sequence, oldest first.
///
/// Snapshots keep only a tail of the transcript and the event stream (the full history is in the
/// log on disk), so memory per session stays flat however long a conversation runs.
///
/// Elements live in full chunks of 16 plus a tail of the newest (fewer than 16), so that a
/// snapshot and the live state share everything but what is written: appending to the tail or
/// editing its newest entries (a streaming reply) copies at most the tail, and the list of full
/// chunks is copied only when the tail fills up, once every 16 appends. Sessions publish after
/// every batch of events, so this keeps the cost of an event small and independent of the ring's size.
public struct BoundedRing<Element: Sendable>: Sendable, RandomAccessCollection {
    public let capacity: Int
    private static var chunkShift: Int { 4 }
    private static var chunkSize: Int { 1 << chunkShift }
    /// Full chunks, oldest first.
    private var chunks: [[Element]] = []
    /// The newest elements, fewer than `chunkSize`, logically the chunk after `chunks`.
    private var tail: [Element] = []
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
            let p = position + dropped
            let chunk = p >> Self.chunkShift
            return chunk < chunks.count ? chunks[chunk][p & (Self.chunkSize - 1)] : tail[p & (Self.chunkSize - 1)]
        }
        set {
            let p = position + dropped
            let chunk = p >> Self.chunkShift
            if chunk < chunks.count {
                chunks[chunk][p & (Self.chunkSize - 1)] = newValue
            } else {
                tail[p & (Self.chunkSize - 1)] = newValue
            }
        }
    }

    public mutating func append(_ element: Element) {
        totalAppended += 1
        tail.append(element)
        if tail.count == Self.chunkSize {
            chunks.append(tail)
            tail = []
            tail.reserveCapacity(Self.chunkSize)
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
        // Any write goes through the tail or the chunk list, which are shared after a copy and
        // so get buffers of their own on the first write.
        guard dropped == other.dropped, count == other.count, totalAppended == other.totalAppended else { return false }
        return Self.sameBuffer(chunks, other.chunks) && Self.sameBuffer(tail, other.tail)
    }

    private static func sameBuffer<T>(_ a: [T], _ b: [T]) -> Bool {
        a.withUnsafeBufferPointer { mine in b.withUnsafeBufferPointer { theirs in mine.baseAddress == theirs.baseAddress } }
    }

    /// Index of the newest element matching `predicate`, looking back at most `limit` elements.
    public func lastIndex(within limit: Int, where predicate: (Element) -> Bool) -> Int? {
        var i = count - 1
        let stop = Swift.max(0, count - limit)
        while i >= stop {
            if predicate(self[i]) { return i }
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
