/// The newest `capacity` elements of a sequence, oldest first.
///
/// Snapshots keep only a tail of the transcript and the event stream (the full history is in the
/// log on disk), so memory per session stays flat however long a conversation runs.
///
/// Elements live in small chunks (an array of arrays) so that a snapshot and the live state
/// share all but the newest chunk: after a publish, the next append or in-place edit copies
/// one chunk and the chunk references, not the whole ring. Sessions publish after every batch
/// of events, so this keeps the cost of an event independent of the ring's size.
public struct BoundedRing<Element: Sendable>: Sendable, RandomAccessCollection {
    public let capacity: Int
    private static var chunkShift: Int { 4 }
    private static var chunkSize: Int { 1 << chunkShift }
    private var chunks: [[Element]] = []
    /// Elements of `chunks[0]` that already fell off the front.
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
            return chunks[p >> Self.chunkShift][p & (Self.chunkSize - 1)]
        }
        set {
            let p = position + dropped
            chunks[p >> Self.chunkShift][p & (Self.chunkSize - 1)] = newValue
        }
    }

    public mutating func append(_ element: Element) {
        totalAppended += 1
        if let last = chunks.indices.last, chunks[last].count < Self.chunkSize {
            chunks[last].append(element)
        } else {
            var chunk: [Element] = []
            chunk.reserveCapacity(Self.chunkSize)
            chunk.append(element)
            chunks.append(chunk)
        }
        count += 1
        if count > capacity {
            count -= 1
            dropped += 1
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
        // Any write goes through the outer array, which is shared after a copy and so gets a
        // buffer of its own on the first write.
        guard dropped == other.dropped, count == other.count, totalAppended == other.totalAppended else { return false }
        return chunks.withUnsafeBufferPointer { mine in
            other.chunks.withUnsafeBufferPointer { theirs in mine.baseAddress == theirs.baseAddress }
        }
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
