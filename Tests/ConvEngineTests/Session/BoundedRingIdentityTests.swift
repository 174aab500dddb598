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

    @Test func equalContentsBuiltApartAreNotIdentical() {
        var a = BoundedRing<Int>(capacity: 4)
        var b = BoundedRing<Int>(capacity: 4)
        a.append(1)
        b.append(1)
        #expect(a == b)
        #expect(!a.isIdentical(to: b))
    }
}
