import Histogram

/// A distribution of latencies in milliseconds with the buckets of an HDR histogram (two
/// significant digits, so any percentile is within 1% of the exact value) up to ten minutes;
/// longer values count as ten minutes. A value type: a snapshot keeps the distribution it was
/// published with.
///
/// Only the buckets that hold values are kept, in order (a run's few turns fill a handful):
/// a session records a turn into its distributions after each publish, so the copy that
/// sharing forces, and the walk for the run's p50 and p95, cost what was recorded, not the
/// library's 1,792 counts (7 KiB) each (issue 16's profile). Every figure is the library's own.
public struct LatencyDistribution: Sendable, Equatable {
    /// A bucket that holds values: the highest value it stands for, and how many it holds.
    private struct Bucket: Sendable, Equatable {
        var top: UInt32
        var count: UInt32
    }

    /// The buckets that hold values, lowest first.
    private var buckets: [Bucket] = []
    private var total = 0
    /// The smallest and largest values recorded, as they were.
    private var lowest = UInt64.max
    private var highest: UInt64 = 0

    /// The bucket layout, whose arithmetic places and reads values; never recorded into.
    private static let layout = Histogram<UInt32>(
        lowestDiscernibleValue: 1, highestTrackableValue: LatencyDistribution.highestMilliseconds, numberOfSignificantValueDigits: .two)

    /// The largest value kept as it is.
    public static let highestMilliseconds: UInt64 = 600_000

    public init() {}

    /// Every value of `values`, as if each were recorded.
    public init(_ values: some Sequence<Int>) {
        for value in values { record(value) }
    }

    /// How many values were recorded.
    public var count: Int { total }
    public var isEmpty: Bool { total == 0 }

    public mutating func record(_ milliseconds: Int) {
        let value = Swift.min(UInt64(clamping: Swift.max(0, milliseconds)), Self.highestMilliseconds)
        let top = UInt32(Self.layout.highestEquivalentForValue(value))
        let index = firstBucket(notBelow: top)
        if index < buckets.count, buckets[index].top == top {
            buckets[index].count &+= 1
        } else {
            buckets.insert(Bucket(top: top, count: 1), at: index)
        }
        total += 1
        lowest = Swift.min(lowest, value)
        highest = Swift.max(highest, value)
    }

    /// Adds every value of `other` (a fleet's distribution from its sessions').
    public mutating func add(_ other: LatencyDistribution) {
        guard !other.isEmpty else { return }
        var merged: [Bucket] = []
        merged.reserveCapacity(buckets.count + other.buckets.count)
        var mine = buckets[...]
        var theirs = other.buckets[...]
        while let a = mine.first, let b = theirs.first {
            if a.top == b.top {
                merged.append(Bucket(top: a.top, count: a.count &+ b.count))
                mine.removeFirst()
                theirs.removeFirst()
            } else if a.top < b.top {
                merged.append(mine.removeFirst())
            } else {
                merged.append(theirs.removeFirst())
            }
        }
        merged += mine
        merged += theirs
        buckets = merged
        total += other.total
        lowest = Swift.min(lowest, other.lowest)
        highest = Swift.max(highest, other.highest)
    }

    /// The value at `percentile` (0…100), nil when empty. Within the histogram's precision,
    /// the smallest recorded value at or below which `percentile`% of the values lie.
    public func percentile(_ percentile: Double) -> Int? {
        guard !isEmpty else { return nil }
        // As the library's lookup: the extremes as recorded, NaN as the largest.
        guard percentile != 0 else { return Int(lowest) }
        guard percentile < 100 else { return Int(highest) }
        return value(atRank: rank(percentile))
    }

    /// The values at two percentiles (each as ``percentile(_:)`` gives it), found in one walk over
    /// the buckets: a session asks for its run's p50 and p95 at every completed turn.
    public func percentiles(_ low: Double, _ high: Double) -> (low: Int, high: Int)? {
        guard !isEmpty else { return nil }
        guard low > 0, low <= high, high < 100 else { return (percentile(low) ?? 0, percentile(high) ?? 0) }
        let lowRank = rank(low)
        let highRank = rank(high)
        var lowValue: Int?
        var seen = 0
        for bucket in buckets {
            seen += Int(bucket.count)
            if lowValue == nil, seen >= lowRank { lowValue = clamped(bucket.top) }
            if seen >= highRank { return (lowValue ?? clamped(bucket.top), clamped(bucket.top)) }
        }
        return (percentile(low) ?? 0, percentile(high) ?? 0)
    }

    public var max: Int? { isEmpty ? nil : Int(highest) }
    public var min: Int? { isEmpty ? nil : Int(lowest) }
    /// The mean of the buckets' middles, as the library computes it.
    public var mean: Double? {
        guard !isEmpty else { return nil }
        var sum: Double = 0
        for bucket in buckets {
            sum += Double(Self.layout.medianEquivalentForValue(UInt64(bucket.top))) * Double(bucket.count)
        }
        return sum / Double(total)
    }

    /// Counts per bucket of `width` ms from 0 up to the largest value (at most `limit` buckets,
    /// the last holding everything beyond), for drawing a histogram.
    public func buckets(width: Int, limit: Int) -> [Int] {
        guard let max, width > 0, limit > 0 else { return [] }
        var counts = [Int](repeating: 0, count: Swift.min(limit, max / width + 1))
        for bucket in buckets {
            let index = Swift.min(counts.count - 1, Int(bucket.top) / width)
            counts[index] += Int(bucket.count)
        }
        return counts
    }

    /// p50, p90, p95, p99 and max as JSON (nulls while empty).
    public var json: JSONValue {
        func value(_ v: Int?) -> JSONValue { v.map(JSONValue.int) ?? .null }
        return .object([
            ("count", .int(count)),
            ("p50", value(percentile(50))),
            ("p90", value(percentile(90))),
            ("p95", value(percentile(95))),
            ("p99", value(percentile(99))),
            ("max", value(max)),
        ])
    }

    /// Equal when the same buckets hold the same counts (the extremes within them may differ).
    public static func == (lhs: LatencyDistribution, rhs: LatencyDistribution) -> Bool {
        lhs.total == rhs.total && lhs.buckets == rhs.buckets
    }

    /// How many of the smallest values `percentile`% of them covers, as the library counts:
    /// one ulp less, so rounding up does not reach the next bucket, and at least one.
    private func rank(_ percentile: Double) -> Int {
        let requested = Swift.min(Swift.max(percentile.nextDown, 0), 100)
        return Int(Swift.max(1, UInt64((requested * Double(total) / 100).rounded(.up))))
    }

    /// The value the library gives for the `rank`-th smallest value (1-based): its bucket's
    /// highest, within the extremes recorded (0 past the last, as the library says).
    private func value(atRank rank: Int) -> Int {
        var seen = 0
        for bucket in buckets {
            seen += Int(bucket.count)
            if seen >= rank { return clamped(bucket.top) }
        }
        return 0
    }

    private func clamped(_ top: UInt32) -> Int {
        Int(Swift.max(Swift.min(UInt64(top), highest), lowest))
    }

    /// Where the bucket with highest value `top` is or belongs (binary search).
    private func firstBucket(notBelow top: UInt32) -> Int {
        var low = 0
        var high = buckets.count
        while low < high {
            let middle = (low + high) / 2
            if buckets[middle].top < top { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
