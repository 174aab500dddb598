#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The replay position on the shared timeline, and how it moves: a pure value.
///
/// Times are timeline µs (see ``ReplayTimeMap``). The owner calls ``advance(byMicros:)`` with
/// the real time that passed; the clock moves by that times ``speed`` while playing, and stops
/// at the end.
public struct ReplayClock: Sendable, Equatable {
    /// The speeds the clock steps through, doubling from ¼× to 64×.
    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]

    /// Timeline length in µs.
    public let total: Int64
    /// Current timeline time in µs, always within `0...total`.
    public private(set) var position: Int64 = 0
    public private(set) var isPlaying = false
    public private(set) var speed: Double = 1

    /// A paused clock at 0 over a timeline of `total` µs, at the step nearest `speed`.
    public init(total: Int64, speed: Double = 1) {
        self.total = max(0, total)
        self.speed = Self.nearestSpeed(speed)
    }

    public var isAtEnd: Bool { position == total }

    /// Where the position is as a fraction of the timeline (0 for an empty timeline).
    public var fraction: Double { total == 0 ? 0 : Double(position) / Double(total) }

    /// Starts playing; from the end, starts again from the beginning.
    public mutating func play() {
        if isAtEnd { position = 0 }
        isPlaying = total > 0
    }

    public mutating func pause() {
        isPlaying = false
    }

    public mutating func togglePlaying() {
        if isPlaying { pause() } else { play() }
    }

    /// Doubles the speed, up to 64×.
    public mutating func faster() {
        speed = Self.speeds.first { $0 > speed } ?? speed
    }

    /// Halves the speed, down to ¼×.
    public mutating func slower() {
        speed = Self.speeds.last { $0 < speed } ?? speed
    }

    /// Sets the speed to the step nearest `speed`.
    public mutating func setSpeed(_ speed: Double) {
        self.speed = Self.nearestSpeed(speed)
    }

    /// Moves to `time` µs, clamped to the timeline.
    public mutating func seek(to time: Int64) {
        position = min(max(0, time), total)
        if isAtEnd { isPlaying = false }
    }

    /// Moves by `delta` µs (negative: back), clamped to the timeline.
    public mutating func seek(by delta: Int64) {
        seek(to: position.addingReportingOverflow(delta).overflow ? (delta < 0 ? 0 : total) : position + delta)
    }

    /// Lets `elapsed` µs of real time pass: moves by `elapsed × speed` while playing.
    public mutating func advance(byMicros elapsed: Int64) {
        guard isPlaying, elapsed > 0 else { return }
        let step = Double(elapsed) * speed
        seek(to: step >= Double(total) ? total : position + Int64(step))
    }

    /// The step nearest `speed` (by ratio, so 3× rounds to 2× or 4× evenly).
    static func nearestSpeed(_ speed: Double) -> Double {
        guard speed.isFinite, speed > 0 else { return 1 }
        return speeds.min { abs(log2($0 / speed)) < abs(log2($1 / speed)) }!
    }
}
