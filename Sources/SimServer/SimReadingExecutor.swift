import NIOPosix

/// Where the conversations read their clients' messages: a pool of threads of its own, wider
/// than the flooders a test or a benchmark throws at it.
///
/// Reading a message unmasks, UTF-8-checks and copies it in one piece (seconds for 20 MiB in
/// a debug build). On the cooperative pool, which never preempts and has a thread per core,
/// two flooding clients held every thread meanwhile and no other conversation's pings or turns
/// ran. Here each reading loop, at most one job at a time, gets a thread of its own while others
/// are free, and the kernel shares the cores between them (docs/sim-server.md, "Fairness").
final class SimReadingExecutor: TaskExecutor {
    /// Created on first use and never shut down, like SwiftNIO's own shared pools.
    static let shared = SimReadingExecutor(threads: 16)

    private let pool: NIOThreadPool

    private init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pool.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
