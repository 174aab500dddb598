import Testing

@testable import ConvEngine

@Suite struct BoundedRingTests {
    /// Appends and edits against a plain array that keeps the newest `capacity` elements,
    /// across capacities around the chunk size, with copies taken along the way that must not move.
    @Test(arguments: [1, 3, 15, 16, 17, 40, 500])
    func behavesLikeTheNewestElementsOfAnArray(capacity: Int) {
        var random = SimRandom(seed: UInt64(capacity))
        var ring = BoundedRing<String>(capacity: capacity)
        var model: [String] = []
        var copies: [(BoundedRing<String>, [String])] = []
        for step in 0..<2_000 {
            if !model.isEmpty, random.next() % 3 == 0 {
                let back = Int(random.next() % UInt64(min(model.count, 20)))
                let index = model.count - 1 - back
                ring[index] += "+"
                model[index] += "+"
            } else {
                ring.append("e\(step)")
                model.append("e\(step)")
                if model.count > capacity { model.removeFirst() }
            }
            if step % 97 == 0 { copies.append((ring, model)) }
        }
        #expect(Array(ring) == model)
        #expect(ring.count == model.count)
        for (copy, expected) in copies { #expect(Array(copy) == expected) }
    }

    @Test func writingTheTailOrAnOlderChunkEndsIdentity() {
        var ring = BoundedRing<Int>(capacity: 100)
        for i in 0..<40 { ring.append(i) }
        let before = ring
        ring[39] += 1
        #expect(!ring.isIdentical(to: before))
        let again = ring
        ring[0] += 1
        #expect(!ring.isIdentical(to: again))
        #expect(before[39] == 39 && before[0] == 0)
    }
}
