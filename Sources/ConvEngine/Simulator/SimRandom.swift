/// SplitMix64: a tiny, fast, seedable generator, so a simulated conversation is the same
/// sequence for the same seed on every machine.
public struct SimRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for one run of one session, independent of every other.
    public init(seed: UInt64, session: Int, run: Int) {
        var mixer = SimRandom(seed: seed ^ (UInt64(truncatingIfNeeded: session) &* 0x9E37_79B9_7F4A_7C15))
        let a = mixer.next()
        state = a ^ (UInt64(truncatingIfNeeded: run) &* 0xBF58_476D_1CE4_E5B9)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool {
        Double.random(in: 0..<1, using: &self) < p
    }

    /// An element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T {
        items[Int.random(in: 0..<items.count, using: &self)]
    }

    /// `base` milliseconds give or take `spread` (a fraction), never below 1.
    public mutating func jitter(_ base: Int, spread: Double = 0.3) -> Int {
        let delta = Double(base) * spread
        return max(1, Int((Double(base) + Double.random(in: -delta...delta, using: &self)).rounded()))
    }
}
