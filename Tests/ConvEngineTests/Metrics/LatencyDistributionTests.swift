import Histogram
import Testing
@testable import ConvEngine

@Suite("Latency distribution")
struct LatencyDistributionTests {
    /// The exact percentile by sorting: the smallest value at or below which `p`% of the values lie.
    private func bruteForce(_ values: [Int], _ p: Double) -> Int {
        let sorted = values.sorted()
        let rank = max(1, Int((p / 100 * Double(sorted.count)).rounded(.up)))
        return sorted[min(sorted.count, rank) - 1]
    }

    @Test(arguments: [1, 7, 100, 1_000, 20_000])
    func percentilesMatchASortWithinOnePercent(count: Int) throws {
        var random = SimRandom(seed: UInt64(count))
        let values = (0..<count).map { _ in 50 + Int(random.next() % 9_950) }
        let distribution = LatencyDistribution(values)
        #expect(distribution.count == count)
        for p in [50.0, 90, 95, 99] {
            let exact = bruteForce(values, p)
            let measured = try #require(distribution.percentile(p))
            #expect(abs(measured - exact) <= exact / 100 + 1, "p\(p): \(measured) vs \(exact)")
        }
        #expect(distribution.max == values.max())
    }

    @Test(arguments: [1, 2, 7, 100, 1_000, 20_000])
    func twoPercentilesInOneWalkAreTheLibrarysOwn(count: Int) throws {
        var random = SimRandom(seed: UInt64(count) + 7)
        var distribution = LatencyDistribution()
        for _ in 0..<count { distribution.record(Int(random.next() % 700_000)) }
        for (low, high) in [(50.0, 95.0), (1, 99.9), (50, 50), (0.001, 99.999)] {
            let pair = try #require(distribution.percentiles(low, high))
            #expect(pair.low == distribution.percentile(low) && pair.high == distribution.percentile(high), "p\(low)/p\(high) of \(count)")
        }
        #expect(LatencyDistribution().percentiles(50, 95) == nil)
    }

    /// The distribution keeps only the buckets that hold values; every figure it gives must be
    /// what the library's full histogram of the same values gives.
    @Test(arguments: [1, 2, 3, 10, 100, 5_000])
    func everyFigureIsTheLibrarysOwn(count: Int) throws {
        var random = SimRandom(seed: UInt64(count) + 11)
        var library = Histogram<UInt32>(
            lowestDiscernibleValue: 1, highestTrackableValue: LatencyDistribution.highestMilliseconds, numberOfSignificantValueDigits: .two)
        var distribution = LatencyDistribution()
        var merged = LatencyDistribution()
        for i in 0..<count {
            // Mostly a conversation's spread, sometimes zero or beyond the range.
            let value = i % 17 == 3 ? 0 : i % 23 == 5 ? 900_000 : 80 + Int(random.next() % UInt64(i % 2 == 0 ? 4_000 : 250_000))
            _ = library.record(min(UInt64(value), LatencyDistribution.highestMilliseconds))
            distribution.record(value)
            var one = LatencyDistribution()
            one.record(value)
            merged.add(one)
        }
        #expect(merged == distribution)
        for p in [-1.0, 0, 0.001, 1, 10, 25, 50, 66.6, 90, 95, 99, 99.9, 99.999, 100, 120] {
            #expect(distribution.percentile(p) == Int(library.valueAtPercentile(p)), "p\(p) of \(count)")
            #expect(merged.percentile(p) == Int(library.valueAtPercentile(p)), "merged p\(p) of \(count)")
        }
        #expect(distribution.count == Int(library.totalCount))
        #expect(distribution.min == Int(library.min))
        #expect(distribution.max == Int(library.maxRecorded))
        #expect(distribution.mean == library.mean)
        var counts = [Int](repeating: 0, count: min(40, Int(library.maxRecorded) / 1_000 + 1))
        for value in library.recordedValues() { counts[min(counts.count - 1, Int(value.value) / 1_000)] += Int(value.count) }
        #expect(distribution.buckets(width: 1_000, limit: 40) == counts)
    }

    @Test func emptyHasNoPercentilesAndMergingAdds() {
        var fleet = LatencyDistribution()
        #expect(fleet.percentile(50) == nil)
        fleet.add(LatencyDistribution([100, 200]))
        fleet.add(LatencyDistribution([300]))
        #expect(fleet.count == 3)
        #expect(fleet.percentile(50) == 200)
        #expect(fleet == LatencyDistribution([300, 200, 100]))
        #expect(fleet != LatencyDistribution([300, 200]))
    }

    @Test func valuesBeyondTheRangeCountAsTheLargest() {
        let distribution = LatencyDistribution([-5, 10_000_000])
        #expect(distribution.min == 0)
        #expect(distribution.max == Int(LatencyDistribution.highestMilliseconds))
    }

    @Test func bucketsCountEveryValue() {
        let distribution = LatencyDistribution([10, 20, 150, 990, 5_000])
        let buckets = distribution.buckets(width: 100, limit: 10)
        #expect(buckets.count == 10)
        #expect(buckets.reduce(0, +) == 5)
        #expect(buckets[0] == 2)
        #expect(buckets[9] == 2)
    }
}
