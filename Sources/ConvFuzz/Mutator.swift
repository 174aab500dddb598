/// Turns seed inputs into hostile variants: bit flips, byte insertions and deletions,
/// splices, truncation, huge numbers, deep nesting and invalid UTF-8.
///
/// Input `n` of a run depends only on the run's seed, `n` and the seeds, so any input can be
/// regenerated from its number (`--only N`) instead of being saved as it is tried.
struct Mutator {
    let seeds: [[UInt8]]
    let maxLength: Int

    /// Tokens that parsers treat specially.
    private static let tokens: [[UInt8]] = [
        "\"", "\\", "\\u", "\\uD800", "\\uDFFF\\uD800", "null", "true", "}", "]", "{", "[", ",", ":", "\n", "\r", "\0",
        "1e999999", "-1e-999999", "18446744073709551616", "-9223372036854775809", "9223372036854775807",
        "0.0000000000000000000000000000001", "NaN", "-", "1.", ".5", "\"\"\"", "'''", "[[", "=", "#",
        "\"type\":", "\"event_id\":", "\"t\":", "\"run\":", "{\"t\":1e308,\"run\":1,\"type\":\"ping\"",
        "\u{1B}]0;pwned\u{07}", "\u{202E}", "\u{200B}",
    ].map { Array($0.utf8) }

    /// Byte sequences that are not UTF-8: lone continuation, overlong, surrogate, out of range, truncated.
    private static let invalidUTF8: [[UInt8]] = [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xE2, 0x82]]

    /// Input number `index` of the run seeded with `runSeed`.
    func input(_ index: UInt64, runSeed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: runSeed &+ index &* 0x9E37_79B9_7F4A_7C15)
        var bytes = seeds[Int(random.next() % UInt64(seeds.count))]
        let rounds = 1 + Int(random.next() % 4)
        for _ in 0..<rounds { mutate(&bytes, &random) }
        if bytes.count > maxLength { bytes.removeLast(bytes.count - maxLength) }
        return bytes
    }

    private func mutate(_ bytes: inout [UInt8], _ random: inout SplitMix64) {
        func position(inclusive: Bool = true) -> Int {
            let count = bytes.count + (inclusive ? 1 : 0)
            return count == 0 ? 0 : Int(random.next() % UInt64(count))
        }
        switch random.next() % 11 {
        case 0 where !bytes.isEmpty:  // bit flip
            bytes[position(inclusive: false)] ^= 1 << UInt8(random.next() % 8)
        case 1:  // random byte
            bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position())
        case 2 where !bytes.isEmpty:  // delete a run of bytes
            let start = position(inclusive: false)
            bytes.removeSubrange(start..<min(bytes.count, start + 1 + Int(random.next() % 16)))
        case 3:  // splice with another seed
            let other = seeds[Int(random.next() % UInt64(seeds.count))]
            let cut = other.isEmpty ? 0 : Int(random.next() % UInt64(other.count))
            bytes = Array(bytes.prefix(position())) + other[cut...]
        case 4:  // truncate
            bytes.removeLast(bytes.count - position())
        case 5:  // special token
            bytes.insert(contentsOf: Self.tokens[Int(random.next() % UInt64(Self.tokens.count))], at: position())
        case 6:  // invalid UTF-8
            bytes.insert(contentsOf: Self.invalidUTF8[Int(random.next() % UInt64(Self.invalidUTF8.count))], at: position())
        case 7:  // deep nesting
            let depth = 1 + Int(random.next() % 2_000)
            let opener = Array(["[", "{\"a\":", "a=[", "[[a]]\n"][Int(random.next() % 4)].utf8)
            bytes.insert(contentsOf: Array(repeating: opener, count: depth).joined(), at: position())
        case 8:  // huge digit run
            bytes.insert(contentsOf: Array(repeating: UInt8(ascii: "9"), count: 1 + Int(random.next() % 5000)), at: position())
        case 9 where !bytes.isEmpty:  // duplicate a range
            let start = position(inclusive: false)
            let end = min(bytes.count, start + 1 + Int(random.next() % 256))
            bytes.insert(contentsOf: bytes[start..<end], at: position())
        default:  // overwrite a byte with an interesting value
            if !bytes.isEmpty {
                let values: [UInt8] = [0, 0x0A, 0x1B, 0x22, 0x5C, 0x7F, 0x9B, 0xFF]
                bytes[position(inclusive: false)] = values[Int(random.next() % UInt64(values.count))]
            }
        }
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
