import Synchronization

/// One ordered lane of work per session: jobs for the same session run one after another,
/// in the order they were queued, each awaited before the next starts; different sessions'
/// lanes run independently, so a slow send to one never holds up another.
///
/// This is what keeps a `send` in order with the commands around it (`send 1 hi` then
/// `stop 1` sends first, then stops).
package final class SessionLanes: Sendable {
    package typealias Job = @Sendable () async -> Void

    private let lanes: [AsyncStream<Job>.Continuation]
    private let running: [Task<Void, Never>]

    package init(count: Int) {
        var lanes: [AsyncStream<Job>.Continuation] = []
        var running: [Task<Void, Never>] = []
        for _ in 0..<count {
            let (jobs, continuation) = AsyncStream.makeStream(of: Job.self)
            lanes.append(continuation)
            running.append(Task {
                for await job in jobs { await job() }
            })
        }
        self.lanes = lanes
        self.running = running
    }

    /// Queues `job` on lane `index` (0-based). Returns false when the lanes are closed (the
    /// job will not run).
    @discardableResult
    package func enqueue(_ index: Int, _ job: @escaping Job) -> Bool {
        if case .enqueued = lanes[index].yield(job) { return true }
        return false
    }

    /// Takes no more jobs; those already queued still run.
    package func close() {
        for lane in lanes { lane.finish() }
    }

    /// Waits until every queued job has run (after ``close()``), or `timeout` has passed;
    /// returns whether they all ran.
    package func drained(within timeout: Duration) async -> Bool {
        let running = running
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for task in running { await task.value }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
