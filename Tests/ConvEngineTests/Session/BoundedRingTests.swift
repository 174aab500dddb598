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
        for (copy, expected) in copies {
            #expect(Array(copy) == expected)
            // Every edit changes its element, so a shared prefix that takes in an edited
            // element shows up here as a mismatch.
            let shared = ring.sharedPrefixCount(with: copy)
            let delta = (ring.totalAppended - ring.count) - (copy.totalAppended - copy.count)
            #expect(shared == 0 || (shared <= ring.count && shared + delta <= copy.count))
            for i in 0..<max(0, min(shared, ring.count, copy.count - delta)) { #expect(ring[i] == copy[i + delta]) }
        }
    }

    /// Appends write into the chunk a copy shares, in slots the copy cannot see; a copy that
    /// appends after the original has must not take (or overwrite) the original's slots.
    @Test func copiesThatAppendApartKeepTheirOwnElements() {
        var original = BoundedRing<String>(capacity: 40)
        for i in 0..<5 { original.append("shared \(i)") }
        var copy = original
        original.append("original 5")
        copy.append("copy 5")
        copy.append("copy 6")
        original.append("original 6")
        #expect(Array(original) == (0..<5).map { "shared \($0)" } + ["original 5", "original 6"])
        #expect(Array(copy) == (0..<5).map { "shared \($0)" } + ["copy 5", "copy 6"])
    }

    /// Copies appending on different threads race for the same free slots of a shared chunk.
    @Test func copiesAppendingConcurrentlyKeepTheirOwnElements() async {
        var base = BoundedRing<String>(capacity: 100)
        for i in 0..<3 { base.append("base \(i)") }
        let start = base
        let results = await withTaskGroup(of: (Int, [String]).self) { group in
            for writer in 0..<4 {
                group.addTask {
                    var ring = start
                    for i in 0..<50 { ring.append("w\(writer) \(i)") }
                    return (writer, Array(ring))
                }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        for writer in 0..<4 {
            let expected = (0..<3).map { "base \($0)" } + (0..<50).map { "w\(writer) \($0)" }
            #expect(results[writer] == expected)
        }
        #expect(Array(start) == (0..<3).map { "base \($0)" })
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
