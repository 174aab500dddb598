import Dispatch

/// Where the sessions' audio meets the one listener: only the listened session's audio of the
/// chosen sides (``ListenSource``) is queued, everyone else's is ignored at the cost of one lock.
///
/// ``offer(_:from:)`` runs on the transports' event loop threads: it never blocks (a short
/// lock, a bounded queue, a semaphore signal). The player's thread takes the audio with
/// ``next(within:)``.
public final class ListenTap: Sendable {
    private let state: Locked<State>
    private let arrived = DispatchSemaphore(value: 0)

    private struct State {
        var session: Int?
        var hearing = ListenSource.agent
        /// Goes up at every change of listened session, so the player can flush what it holds.
        var generation = 0
        var queue: ListenQueue
    }

    public init(capacityMilliseconds: Int = 60_000) {
        state = Locked(State(queue: ListenQueue(capacityMilliseconds: capacityMilliseconds)))
    }

    /// Listens to `hearing` of session `number` (1-based), or to nothing; what was queued is
    /// dropped.
    public func listen(to number: Int?, hearing: ListenSource = .agent) {
        state.withLock { s in
            guard s.session != number || s.hearing != hearing else { return }
            s.session = number
            s.hearing = hearing
            s.generation += 1
            s.queue.removeAll()
        }
        arrived.signal()
    }

    /// The session listened to, and the generation of that choice.
    public var listened: (session: Int?, generation: Int) {
        state.withLock { ($0.session, $0.generation) }
    }

    /// Audio from `side` of session `number`, as it arrives (`arrivedAt`: now, unless a caller
    /// knows better).
    public func offer(_ audio: AgentAudio, from number: Int, arrivedAt: ContinuousClock.Instant = .now, side: LevelMeters.Side = .agent) {
        let queued = state.withLock { s in
            guard s.session == number, s.hearing.includes(side) else { return false }
            s.queue.push(ListenQueue.Piece(audio: audio, arrivedAt: arrivedAt, side: side))
            return true
        }
        if queued { arrived.signal() }
    }

    /// The oldest queued piece and the generation of the listening it was queued for,
    /// waiting up to `timeout` for one; nil when none came.
    public func next(within timeout: Duration) -> (piece: ListenQueue.Piece, generation: Int)? {
        if let next = take() { return next }
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        _ = arrived.wait(timeout: .now() + .nanoseconds(Int(nanoseconds)))
        return take()
    }

    private func take() -> (piece: ListenQueue.Piece, generation: Int)? {
        state.withLock { s in s.queue.take().map { ($0, s.generation) } }
    }

    /// Drops the queued audio an interruption at `watermark` made stale; returns its milliseconds.
    @discardableResult
    public func dropInterrupted(watermark: Int?) -> Int {
        state.withLock { $0.queue.dropInterrupted(watermark: watermark) }
    }

    /// Wakes a player waiting in ``next(within:)`` (to stop it).
    public func wake() {
        arrived.signal()
    }
}
