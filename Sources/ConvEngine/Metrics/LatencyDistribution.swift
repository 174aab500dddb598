import Histogram

/// A distribution of latencies in milliseconds: an HDR histogram (two significant digits, so
/// any percentile is within 1% of the exact value) up to ten minutes; longer values count as
/// ten minutes. A value type: a snapshot keeps the distribution it was published with.
public struct LatencyDistribution: Sendable, Equatable {
    private var histogram = Histogram<UInt32>(
        lowestDiscernibleValue: 1, highestTrackableValue: LatencyDistribution.highestMilliseconds, numberOfSignificantValueDigits: .two)

    /// The largest value kept as it is.
    public static let highestMilliseconds: UInt64 = 600_000

    public init() {}

    /// Every value of `values`, as if each were recorded.
    public init(_ values: some Sequence<Int>) {
        for value in values { record(value) }
    }

    /// How many values were recorded.
    public var count: Int { Int(histogram.totalCount) }
    public var isEmpty: Bool { histogram.totalCount == 0 }

    public mutating func record(_ milliseconds: Int) {
        let value = UInt64(clamping: Swift.max(0, milliseconds))
        _ = histogram.record(Swift.min(value, Self.highestMilliseconds))
    }

    /// Adds every value of `other` (a fleet's distribution from its sessions').
    public mutating func add(_ other: LatencyDistribution) {
        guard !other.isEmpty else { return }
        histogram.add(other.histogram)
    }

    /// The value at `percentile` (0…100), nil when empty. Within the histogram's precision,
    /// the smallest recorded value at or below which `percentile`% of the values lie.
    public func percentile(_ percentile: Double) -> Int? {
        guard !isEmpty else { return nil }
        return Int(histogram.valueAtPercentile(percentile))
    }

    /// The values at two percentiles (each as ``percentile(_:)`` gives it), found in one walk over
    /// the recorded values: the library's own lookup is generic code that is not specialized
    /// for this module, and a session asks for its p50 and p95 at every completed turn.
    public func percentiles(_ low: Double, _ high: Double) -> (low: Int, high: Int)? {
        guard !isEmpty else { return nil }
        guard low > 0, low <= high, high < 100 else { return (percentile(low) ?? 0, percentile(high) ?? 0) }
        let total = Double(histogram.totalCount)
        func rank(_ percentile: Double) -> UInt64 {
            // As the library does: one ulp less, so rounding up does not reach the next bucket.
            Swift.max(1, UInt64((Swift.min(Swift.max(percentile.nextDown, 0), 100) * total / 100).rounded(.up)))
        }
        let lowRank = rank(low)
        let highRank = rank(high)
        let lowest = histogram.min
        let highest = histogram.maxRecorded
        var lowValue: UInt64?
        for value in histogram.recordedValues() {
            let clamped = Swift.max(Swift.min(value.value, highest), lowest)
            if lowValue == nil, value.totalCountToThisValue >= lowRank { lowValue = clamped }
            if value.totalCountToThisValue >= highRank {
                return (Int(lowValue ?? clamped), Int(clamped))
            }
        }
        return (percentile(low) ?? 0, percentile(high) ?? 0)
    }

    public var max: Int? { isEmpty ? nil : Int(histogram.maxRecorded) }
    public var min: Int? { isEmpty ? nil : Int(histogram.min) }
    public var mean: Double? { isEmpty ? nil : histogram.mean }

    /// Counts per bucket of `width` ms from 0 up to the largest value (at most `limit` buckets,
    /// the last holding everything beyond), for drawing a histogram.
    public func buckets(width: Int, limit: Int) -> [Int] {
        guard let max, width > 0, limit > 0 else { return [] }
        var counts = [Int](repeating: 0, count: Swift.min(limit, max / width + 1))
        for value in histogram.recordedValues() {
            let index = Swift.min(counts.count - 1, Int(value.value) / width)
            counts[index] += Int(value.count)
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

    public static func == (lhs: LatencyDistribution, rhs: LatencyDistribution) -> Bool {
        lhs.histogram.totalCount == rhs.histogram.totalCount
            && lhs.histogram.recordedValues().elementsEqual(rhs.histogram.recordedValues()) { $0.value == $1.value && $0.count == $1.count }
    }
}
