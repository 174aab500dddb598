/// Wakes the simulated conversations of one board from a single timer.
///
/// A thousand simulated sessions each sleeping between events would cost a kernel timer and a
/// thread wake-up per event; profiling showed that scheduling, not the engine, dominated.
/// Sleepers here wait on a continuation in a deadline heap and one task resumes all that are
/// due every ``resolution``, so wake-ups scale with time, not with sessions.
///
/// It holds no session state: a sleeper's only link to it is its own continuation, and
/// cancelling one sleeper (a session stopping) resumes that sleeper alone.
public final class SimTicker: Sendable {
    /// How late a sleeper may wake.
    public let resolution: Duration
    private let state = Locked(State())

    private struct Sleeper {
        let deadline: ContinuousClock.Instant
        let id: Int
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var heap: [Sleeper] = []
        var nextId = 0
        /// Ids cancelled before they were queued.
        var cancelledEarly: Set<Int> = []
        var ticking = false

        /// Min-heap on deadline.
        mutating func push(_ sleeper: Sleeper) {
            heap.append(sleeper)
            var i = heap.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard heap[i].deadline < heap[parent].deadline else { break }
                heap.swapAt(i, parent)
                i = parent
            }
        }

        mutating func popFirst() -> Sleeper {
            heap.swapAt(0, heap.count - 1)
            let first = heap.removeLast()
            siftDown(from: 0)
            return first
        }

        mutating func remove(id: Int) -> Sleeper? {
            guard let index = heap.firstIndex(where: { $0.id == id }) else { return nil }
            heap.swapAt(index, heap.count - 1)
            let removed = heap.removeLast()
            if index < heap.count {
                siftDown(from: index)
                var i = index
                while i > 0 {
                    let parent = (i - 1) / 2
                    guard heap[i].deadline < heap[parent].deadline else { break }
                    heap.swapAt(i, parent)
                    i = parent
                }
            }
            return removed
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

    public init(resolution: Duration = .milliseconds(10)) {
        self.resolution = resolution
    }

    /// Suspends until `deadline` (give or take ``resolution``); throws `CancellationError`
    /// at once when the calling task is cancelled.
    public func sleep(until deadline: ContinuousClock.Instant) async throws {
        let id = state.withLock { s in
            s.nextId += 1
            return s.nextId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (refused, startTicker) = state.withLock { s -> (Bool, Bool) in
                    if s.cancelledEarly.remove(id) != nil { return (true, false) }
                    s.push(Sleeper(deadline: deadline, id: id, continuation: continuation))
                    let start = !s.ticking
                    s.ticking = true
                    return (false, start)
                }
                if refused { continuation.resume(throwing: CancellationError()) }
                if startTicker { tick() }
            }
        } onCancel: {
            let sleeper = state.withLock { s -> Sleeper? in
                if let found = s.remove(id: id) { return found }
                s.cancelledEarly.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Resumes due sleepers until none are left, then stops (a new sleeper starts it again).
    private func tick() {
        Task.detached { [self] in
            while true {
                try? await Task.sleep(for: resolution)
                let now = ContinuousClock.now
                let (due, more) = state.withLock { s -> ([Sleeper], Bool) in
                    var due: [Sleeper] = []
                    while let first = s.heap.first, first.deadline <= now { due.append(s.popFirst()) }
                    if s.heap.isEmpty { s.ticking = false }
                    return (due, !s.heap.isEmpty)
                }
                for sleeper in due { sleeper.continuation.resume() }
                if !more { return }
            }
        }
    }
}
