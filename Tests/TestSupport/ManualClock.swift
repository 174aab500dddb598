import ConvEngine

/// A clock that moves only when a test advances it: the engine code under test takes it where
/// production passes `ContinuousClock()`, so a test of the simulator or a script runs in no
/// real time and reads exact offsets.
///
/// Written here rather than taken from swift-clocks: its `TestClock` reads `now` without its
/// lock (a data race under TSan when engine threads read the time while a test advances it)
/// and its `advance` only yields between wake-ups, which with real threads does not wait for
/// the woken work either. Here every access is behind one lock, and waiting for woken work
/// is the caller's business (``advance(timeout:until:)`` polls for what it expects).
public final class ManualClock: Clock, Sendable {
    /// A point on this clock: the time since it was made.
    public struct Instant: InstantProtocol {
        public let offset: Duration

        public init(offset: Duration) { self.offset = offset }
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        let id: Int
        let deadline: Instant
        let continuation: UnsafeContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var nextId = 0
        var cancelledEarly: Set<Int> = []
    }

    private let state = Locked(State())

    public init() {}

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .zero }

    /// When the tasks asleep on this clock wake (as offsets of ``now``), earliest first.
    public var deadlines: [Duration] { state.withLock { $0.sleepers.map(\.deadline.offset).sorted() } }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = state.withLock { s in
            s.nextId += 1
            return s.nextId
        }
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                enum Outcome { case waits, due, cancelled }
                let outcome = state.withLock { s -> Outcome in
                    if s.cancelledEarly.remove(id) != nil { return .cancelled }
                    if deadline <= s.now { return .due }
                    s.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return .waits
                }
                switch outcome {
                case .waits: break
                case .due: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let sleeper = state.withLock { s -> Sleeper? in
                guard let index = s.sleepers.firstIndex(where: { $0.id == id }) else {
                    s.cancelledEarly.insert(id)
                    return nil
                }
                return s.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the time forward by `duration` and wakes every sleeper that is then due. The woken
    /// tasks run on their own; this does not wait for them.
    public func advance(by duration: Duration) {
        let due = state.withLock { s -> [Sleeper] in
            s.now = s.now.advanced(by: duration)
            let now = s.now
            let due = s.sleepers.filter { $0.deadline <= now }
            s.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Lets `duration` of this clock's time pass, a test's pause in simulated time: from one
    /// sleeper's deadline to the next (or `step` at a time while nothing sleeps), with a
    /// millisecond of real time between for the woken work to run.
    public func pass(_ duration: Duration, by step: Duration = .milliseconds(20)) async {
        let end = now.advanced(by: duration)
        while now < end {
            let next = state.withLock { $0.sleepers.map(\.deadline).min() } ?? now.advanced(by: step)
            advance(by: now.duration(to: min(next, end)))
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Moves the time to the earliest sleeper's deadline, over and over, with a millisecond of
    /// real time between for the woken work to run, until `condition` holds or `timeout` of
    /// real time passes; returns whether it held. While nothing sleeps the time stands still
    /// (the work in flight has not reached its next wait). Jumping from deadline to deadline,
    /// not by fixed steps, keeps the rounds few on a loaded machine, where every round waits
    /// its turn for a core; a task that reaches its wait late finds its deadline passed and
    /// goes on at once, so it catches up instead of stalling. The bound is generous: rounds
    /// are work, not waiting, and only a failing test ever reaches it.
    public func advance(timeout: Duration = .seconds(120), until condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            if let next = state.withLock({ $0.sleepers.map(\.deadline).min() }) {
                advance(by: now.duration(to: next))
            }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return condition()
    }
}
