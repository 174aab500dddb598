/// An injected clock, read as the time elapsed since this value was made.
///
/// Everything in the engine that reads or waits on time (a session's event offsets and paced
/// audio, the simulator's ticker, scripts, board shutdown, the replay tick) takes a
/// `Clock<Duration>` and keeps it as one of these: production passes `ContinuousClock()`, tests
/// a manual clock they advance, so a test of the simulator or a script runs in no real time
/// and sees exact offsets. Instants of different clocks are different types; durations since
/// a fixed origin are not, so callers keep deadlines as `Duration` and the clock stays erased.
public struct ElapsedClock: Sendable {
    private let read: @Sendable () -> Duration
    private let wait: @Sendable (Duration) async throws -> Void

    /// Starts at zero now, on `clock`.
    public init(_ clock: any Clock<Duration> = ContinuousClock()) {
        self.init(opened: clock)
    }

    private init<C: Clock<Duration>>(opened clock: C) {
        let origin = clock.now
        read = { origin.duration(to: clock.now) }
        wait = { try await clock.sleep(until: origin.advanced(by: $0), tolerance: nil) }
    }

    /// The time since this value was made.
    public var elapsed: Duration { read() }

    /// Suspends until ``elapsed`` reaches `deadline`; throws `CancellationError` when the
    /// calling task is cancelled.
    public func sleep(until deadline: Duration) async throws {
        try await wait(deadline)
    }

    /// Suspends for `duration` from now.
    public func sleep(for duration: Duration) async throws {
        try await wait(read() + duration)
    }

    /// Microseconds in `duration`, the unit of event offsets.
    public static func micros(_ duration: Duration) -> Int64 {
        let parts = duration.components
        return parts.seconds * 1_000_000 + parts.attoseconds / 1_000_000_000_000
    }
}
