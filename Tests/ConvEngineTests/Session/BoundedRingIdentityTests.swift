import Testing

@testable import ConvEngine

@Suite struct BoundedRingIdentityTests {
    @Test func aCopyIsIdenticalUntilEitherSideWrites() {
        var ring = BoundedRing<String>(capacity: 40)
        for i in 0..<35 { ring.append("entry \(i)") }
        let copy = ring
        #expect(ring.isIdentical(to: copy))
        ring[3] += " edited"
        #expect(!ring.isIdentical(to: copy))
        let second = ring
        ring.append("more")
        #expect(!ring.isIdentical(to: second))
        #expect(second.isIdentical(to: second))
    }

    @Test func theSharedPrefixEndsAtTheFirstWrittenChunk() {
        var ring = BoundedRing<Int>(capacity: 100)
        for i in 0..<80 { ring.append(i) }
        let older = ring
        ring.append(80)
        ring[80] += 1
        #expect(ring.sharedPrefixCount(with: older) == 80)
        ring[79] += 1
        #expect(ring.sharedPrefixCount(with: older) == 64)
        ring[10] += 1
        #expect(ring.sharedPrefixCount(with: older) == 0)
        #expect(ring.sharedPrefixCount(with: BoundedRing(capacity: 100)) == 0)
    }

    @Test func theSharedPrefixFollowsElementsFallingOffTheFront() {
        var ring = BoundedRing<Int>(capacity: 40)
        for i in 0..<50 { ring.append(i) }
        let older = ring
        for i in 50..<60 { ring.append(i) }
        // 20 through 59 are kept, in chunks 16–31, 32–47 (shared) and a tail of 48–59.
        let shared = ring.sharedPrefixCount(with: older)
        #expect(shared == 28)
        #expect(ring[0] == 20 && ring[shared - 1] == 47)
    }

    @Test func equalContentsBuiltApartAreNotIdentical() {
        var a = BoundedRing<Int>(capacity: 4)
        var b = BoundedRing<Int>(capacity: 4)
        a.append(1)
        b.append(1)
        #expect(a == b)
        #expect(!a.isIdentical(to: b))
    }
}
