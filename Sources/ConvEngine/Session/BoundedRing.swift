/// The newest `capacity` elements of a sequence, oldest first.
///
/// Snapshots keep only a tail of the transcript and the event stream (the full history is in the
/// log on disk), so memory per session stays flat however long a conversation runs.
public struct BoundedRing<Element: Sendable>: Sendable, RandomAccessCollection {
    public let capacity: Int
    private var storage: [Element] = []
    /// Index in `storage` of the oldest element once the ring is full.
    private var head = 0
    /// How many elements were ever appended, including those that fell off the front.
    public private(set) var totalAppended = 0

    public init(capacity: Int) {
        precondition(capacity > 0, "a ring needs room for at least one element")
        self.capacity = capacity
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }

    public subscript(position: Int) -> Element {
        get { storage[physical(position)] }
        set { storage[physical(position)] = newValue }
    }

    private func physical(_ position: Int) -> Int {
        let p = head + position
        return p < storage.count ? p : p - storage.count
    }

    public mutating func append(_ element: Element) {
        totalAppended += 1
        if storage.count < capacity {
            storage.append(element)
        } else {
            storage[head] = element
            head = head + 1 == capacity ? 0 : head + 1
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
