/// Arrival-to-speaker latencies of listened audio: when a piece arrived from the server to
/// when its first sample reaches the speaker (the time it waited here plus the sound
/// server's latency when it was written).
struct LatencyRecord: Sendable, Equatable {
    /// The latest values, in milliseconds (bounded: a long session keeps the latest).
    private(set) var milliseconds: [Int] = []
    private static var kept: Int { 4096 }

    mutating func record(microseconds: Int) {
        if milliseconds.count == Self.kept { milliseconds.removeFirst(Self.kept / 2) }
        milliseconds.append(microseconds / 1000)
    }

    /// The value below which `fraction` of the recorded ones lie; nil before any.
    func percentile(_ fraction: Double) -> Int? {
        guard !milliseconds.isEmpty else { return nil }
        let sorted = milliseconds.sorted()
        let rank = Int((Double(sorted.count) * fraction).rounded(.up))
        return sorted[min(sorted.count, max(1, rank)) - 1]
    }
}
