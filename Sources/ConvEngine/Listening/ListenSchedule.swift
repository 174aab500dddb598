/// When listened audio should be heard, and how much to skip when the player fell behind.
///
/// Each piece is due when it arrived, or when the audio before it ends, whichever is later: a
/// reply that arrives in one burst is due at speaking speed, piece after piece, while audio
/// that arrives as fast as it is spoken is due on arrival. A player that is about to write a
/// sample more than ``boundMilliseconds`` after it was due (the machine was busy, the sound
/// server slow to start) skips ahead to ``residualMilliseconds`` behind, so the delay it fell
/// into is not kept for the rest of the conversation. The sound server's own latency (the
/// device's) is not counted: only the delay the player adds is.
public struct ListenSchedule: Sendable {
    /// How far behind schedule the player may write before it skips.
    public let boundMilliseconds: Int
    /// How far behind it is after a skip (below the bound, so jitter does not skip again).
    public var residualMilliseconds: Int { boundMilliseconds / 4 }
    /// When the next sample to write is due; nil before any audio.
    public private(set) var cursor: ContinuousClock.Instant?
    /// Audio skipped to catch up, in all, in microseconds.
    public private(set) var skippedMicroseconds = 0

    public init(boundMilliseconds: Int = 80) {
        self.boundMilliseconds = boundMilliseconds
    }

    /// Starts writing a piece that arrived at `arrivedAt`, after what was written before it.
    public mutating func begin(arrivedAt: ContinuousClock.Instant) {
        cursor = max(arrivedAt, cursor ?? arrivedAt)
    }

    /// `count` samples at `rate` were written (or skipped).
    public mutating func advance(samples count: Int, rate: Int) {
        cursor = cursor.map { $0 + Self.duration(samples: count, rate: rate) }
    }

    /// Starts the schedule again at `now`: after an interruption (what was scheduled was
    /// dropped) or a change of listened pane, the audio written next is due now.
    public mutating func restart(at now: ContinuousClock.Instant) {
        cursor = now
    }

    /// How far behind schedule the next sample is at `now` (negative: ahead, a burst written
    /// in advance).
    public func lateness(at now: ContinuousClock.Instant) -> Duration {
        cursor.map { now - $0 } ?? .zero
    }

    /// How many of the `remaining` samples at `rate` of the piece being written to skip at
    /// `now` (counted as written): none while the player is within the bound. A skip longer
    /// than the piece goes on in the next one, which is as late.
    public mutating func skip(remaining: Int, rate: Int, at now: ContinuousClock.Instant) -> Int {
        let late = lateness(at: now)
        guard late > .milliseconds(boundMilliseconds) else { return 0 }
        let behind = late - .milliseconds(residualMilliseconds)
        let microseconds = Int(behind.components.seconds) * 1_000_000 + Int(behind.components.attoseconds / 1_000_000_000_000)
        let samples = min(remaining, microseconds * rate / 1_000_000)
        skippedMicroseconds += samples * 1_000_000 / max(1, rate)
        advance(samples: samples, rate: rate)
        return samples
    }

    private static func duration(samples: Int, rate: Int) -> Duration {
        .microseconds(Int64(samples) * 1_000_000 / Int64(max(1, rate)))
    }
}
