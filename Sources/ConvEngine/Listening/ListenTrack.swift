/// One side's listened audio (the agent's or the user's), resampled to the player's rate and
/// waiting to be played, with its ``ListenSchedule``.
///
/// The player takes a slice from each side's track and mixes them, so both sides play at once
/// as they were spoken: a reply that arrived in a burst plays at speaking speed while the
/// user's audio plays as it arrives.
public struct ListenTrack: Sendable {
    private struct Queued {
        let piece: ListenQueue.Piece
        let samples: [Int16]
        var offset = 0
        /// Whether a sample of it was written (its lateness was counted).
        var heard = false
    }

    /// Audio kept at most (the tap's own bound), in samples at the player's rate.
    public let capacity: Int
    private var queued: [Queued] = []
    private var queuedSamples = 0
    /// Whether the first piece was begun on the schedule.
    private var begun = false
    public private(set) var schedule = ListenSchedule()

    public init(capacity: Int) {
        self.capacity = capacity
    }

    public var isEmpty: Bool { queued.isEmpty }

    /// Queues `piece`, already resampled to `samples`; past the capacity the oldest goes.
    public mutating func add(_ piece: ListenQueue.Piece, samples: [Int16]) {
        queued.append(Queued(piece: piece, samples: samples))
        queuedSamples += samples.count
        while queuedSamples > capacity, queued.count > 1 { dropFirst() }
    }

    /// Drops what an interruption at `watermark` made stale (``ListenQueue/isStale(_:watermark:)``)
    /// and starts the schedule again at `now`. Returns whether anything was dropped.
    @discardableResult
    public mutating func dropInterrupted(watermark: Int?, at now: ContinuousClock.Instant) -> Bool {
        let before = queued.count
        if let first = queued.first, ListenQueue.isStale(first.piece.audio, watermark: watermark) { begun = false }
        queued.removeAll { ListenQueue.isStale($0.piece.audio, watermark: watermark) }
        queuedSamples = queued.reduce(0) { $0 + $1.samples.count - $1.offset }
        schedule.restart(at: now)
        return queued.count != before
    }

    /// Up to `count` samples at `rate` to play now, skipping what the player fell behind on
    /// (``ListenSchedule``), and how late each piece begun in them is (zero for a piece
    /// written ahead of its time, a burst).
    public mutating func take(_ count: Int, rate: Int, at now: ContinuousClock.Instant) -> (samples: [Int16], lateness: [Duration]) {
        var samples: [Int16] = []
        var lateness: [Duration] = []
        while samples.count < count, !queued.isEmpty {
            if !begun {
                schedule.begin(arrivedAt: queued[0].piece.arrivedAt)
                begun = true
            }
            let total = queued[0].samples.count
            let skipped = schedule.skip(remaining: total - queued[0].offset, rate: rate, at: now)
            queued[0].offset += skipped
            queuedSamples -= skipped
            if queued[0].offset < total {
                if !queued[0].heard {
                    queued[0].heard = true
                    lateness.append(max(.zero, schedule.lateness(at: now)))
                }
                let end = min(total, queued[0].offset + count - samples.count)
                samples += queued[0].samples[queued[0].offset..<end]
                schedule.advance(samples: end - queued[0].offset, rate: rate)
                queuedSamples -= end - queued[0].offset
                queued[0].offset = end
            }
            if queued[0].offset == total {
                queued.removeFirst()
                begun = false
            }
        }
        return (samples, lateness)
    }

    /// `a` and `b` played at once: their sum, clipped, as long as the longer.
    public static func mix(_ a: [Int16], _ b: [Int16]) -> [Int16] {
        if b.isEmpty { return a }
        if a.isEmpty { return b }
        return (0..<max(a.count, b.count)).map { i in
            let sum = Int(i < a.count ? a[i] : 0) + Int(i < b.count ? b[i] : 0)
            return Int16(clamping: sum)
        }
    }

    private mutating func dropFirst() {
        let oldest = queued.removeFirst()
        queuedSamples -= oldest.samples.count - oldest.offset
        begun = false
    }
}
