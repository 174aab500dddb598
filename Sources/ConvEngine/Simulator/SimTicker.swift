/// Wakes the simulated conversations of one board from a single timer.
///
/// A thousand simulated sessions each sleeping between events would cost a kernel timer and a
/// thread wake-up per event; profiling showed that scheduling, not the engine, dominated.
/// Sleepers here wait on a continuation in a deadline heap and one timer resumes all that are
/// due, so wake-ups scale with time, not with sessions.
///
/// The timer sleeps until the earliest deadline, but wakes at most once per ``resolution``:
/// with a thousand busy sessions it fires every ``resolution`` and resumes whoever is due, as a
/// fixed tick would; with a few slow sessions it sleeps the whole gap between their events
/// instead of polling the heap (an idle console costs nothing here). A sleeper that arrives with
/// a deadline before the timer's replaces the timer.
///
/// It holds no session state: a sleeper's only link to it is its own continuation, and
/// cancelling one sleeper (a session stopping) resumes that sleeper alone.
///
/// Time is its clock's (``now``): the conversations it wakes read and plan on it, so a test
/// that hands in a manual clock runs them as fast as it advances that clock.
public final class SimTicker: Sendable {
    /// How late a sleeper may wake.
    public let resolution: Duration
    private let clock: ElapsedClock
    private let state = Locked(State())

    /// A heap entry: plain values only, so sifting moves no reference counts (with the
    /// continuation inside, the heap's swaps and compares were a tenth of engine-scale's CPU).
    private struct Entry {
        let deadline: Duration
        let id: Int
    }

    /// Resumed exactly once: whoever removes it from ``State/waiting`` under the lock resumes it.
    private typealias Waiter = UnsafeContinuation<Void, any Error>

    private struct State {
        var heap: [Entry] = []
        var waiting: [Int: Waiter] = [:]
        var nextId = 0
        /// Ids cancelled before they were queued.
        var cancelledEarly: Set<Int> = []
        /// The pending timer, if any: when it fires and its generation (a replaced timer that
        /// fires anyway sees a newer generation and does nothing).
        var timer: (at: Duration, generation: Int, task: Task<Void, Never>)?
        var generation = 0
        /// When the timer last fired, to fire at most once per resolution.
        var lastFired: Duration?
        var firings = 0

        mutating func add(_ entry: Entry, _ waiter: Waiter) {
            waiting[entry.id] = waiter
            heap.append(entry)
            siftUp(from: heap.count - 1)
        }

        /// The waiter of the earliest entry if it is due by `now`, taken out of the heap.
        mutating func popDue(by now: Duration) -> Waiter? {
            guard let first = heap.first, first.deadline <= now else { return nil }
            heap.swapAt(0, heap.count - 1)
            heap.removeLast()
            siftDown(from: 0)
            return waiting.removeValue(forKey: first.id)
        }

        mutating func remove(id: Int) -> Waiter? {
            guard let waiter = waiting.removeValue(forKey: id) else { return nil }
            if let index = heap.firstIndex(where: { $0.id == id }) {
                heap.swapAt(index, heap.count - 1)
                heap.removeLast()
                if index < heap.count {
                    siftDown(from: index)
                    siftUp(from: index)
                }
            }
            return waiter
        }

        /// Min-heap on deadline.
        mutating func siftUp(from start: Int) {
            var i = start
            while i > 0 {
                let parent = (i - 1) / 2
                guard heap[i].deadline < heap[parent].deadline else { break }
                heap.swapAt(i, parent)
                i = parent
            }
        }

        mutating func siftDown(from start: Int) {
            var i = start
            while true {
                let left = 2 * i + 1
                let right = left + 1
                var smallest = i
                if left < heap.count, heap[left].deadline < heap[smallest].deadline { smallest = left }
                if right < heap.count, heap[right].deadline < heap[smallest].deadline { smallest = right }
                if smallest == i { return }
                heap.swapAt(i, smallest)
                i = smallest
            }
        }
    }

    public init(resolution: Duration = .milliseconds(10), clock: any Clock<Duration> = ContinuousClock()) {
        self.resolution = resolution
        self.clock = ElapsedClock(clock)
    }

    /// The time on this ticker's clock, since the ticker was made.
    public var now: Duration { clock.elapsed }

    /// Suspends until ``now`` reaches `deadline` (give or take ``resolution``); throws
    /// `CancellationError` at once when the calling task is cancelled.
    public func sleep(until deadline: Duration) async throws {
        let id = state.withLock { s in
            s.nextId += 1
            return s.nextId
        }
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: Waiter) in
                let refused = state.withLock { s -> Bool in
                    if s.cancelledEarly.remove(id) != nil { return true }
                    s.add(Entry(deadline: deadline, id: id), continuation)
                    schedule(&s)
                    return false
                }
                if refused { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> Waiter? in
                if let found = s.remove(id: id) { return found }
                s.cancelledEarly.insert(id)
                return nil
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// How many times the timer has fired: what an idle board costs (tests check it does not poll).
    var firings: Int { state.withLock { $0.firings } }

    /// Makes sure a timer will fire for the earliest sleeper: starts one, or replaces one that
    /// would fire too late. Called with the lock held.
    private func schedule(_ s: inout State) {
        guard let earliest = s.heap.first?.deadline else { return }
        let at = s.lastFired.map { max(earliest, $0 + resolution) } ?? earliest
        if let timer = s.timer {
            if timer.at <= at { return }
            timer.task.cancel()
        }
        s.generation += 1
        let generation = s.generation
        let task = Task.detached { [self] in
            // Cancelled means replaced by an earlier timer; that one does the work.
            guard (try? await clock.sleep(until: at)) != nil else { return }
            fire(generation: generation)
        }
        s.timer = (at, generation, task)
    }

    /// Resumes the sleepers that are due and sets the timer for the next one.
    private func fire(generation: Int) {
        let due = state.withLock { s -> [Waiter] in
            guard s.timer?.generation == generation else { return [] }
            s.timer = nil
            let now = clock.elapsed
            s.lastFired = now
            s.firings += 1
            var due: [Waiter] = []
            while let waiter = s.popDue(by: now) { due.append(waiter) }
            schedule(&s)
            return due
        }
        for waiter in due { waiter.resume() }
    }
}
