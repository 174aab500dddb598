import Foundation

/// One thread that writes the lines of many outboxes to their sinks.
///
/// Outboxes queue themselves here when lines arrive; the thread takes everything queued at
/// once and gives each sink one `write(2)` for all of it — the lines of every outbox that
/// shares the sink (all sessions' stdout lines) are joined into that one call. A sink that
/// blocks holds up this thread only, never the sessions that fill its outboxes.
///
/// A pass starts ``linger`` after the thread was woken from idle, or after the previous pass
/// started, so the lines that arrive meanwhile go out in the same pass: with a thousand sessions
/// each adding a line now and then, waking for every line cost more CPU in thread switches than
/// the writes themselves, and a longer linger gives each log fewer, larger writes (engine-scale,
/// docs/benchmarks.md). A line reaches its sink about ``linger`` (plus the pass before it) after
/// it was added; a closing outbox or ``stop()`` cuts the linger short.
public final class OutboxWriter: @unchecked Sendable {  // every stored var is reached only under `condition`
    private let condition = NSCondition()
    private var ready: [Outbox] = []
    private var delayed: [(outbox: Outbox, at: ContinuousClock.Instant)] = []
    private var waiting = false
    /// An outbox is closing: write now rather than at the end of the linger.
    private var hurry = false
    private var stopped = false
    /// How long a woken thread waits for more lines before it writes.
    public let linger: Duration

    /// Starts the thread, named `name` (seen in `top -H` and debuggers).
    public init(name: String, linger: Duration = .milliseconds(5)) {
        self.linger = linger
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// Ends the thread once the outboxes queued now are written (the writer of a headless
    /// output or a test; the shared log writers live as long as the process).
    public func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    /// Queues `outbox`; `hurry` (it is closing) also ends a linger in progress.
    func schedule(_ outbox: Outbox, hurry: Bool = false) {
        condition.lock()
        ready.append(outbox)
        if hurry { self.hurry = true }
        if waiting { condition.signal() }
        condition.unlock()
    }

    /// Wakes the thread to look at outboxes waiting for a retry (one of them is closing), ending
    /// a linger in progress.
    func wake() {
        condition.lock()
        hurry = true
        if waiting { condition.signal() }
        condition.unlock()
    }

    private func run() {
        var batch: [Outbox] = []
        var scratch = Scratch()
        var previousPass = ContinuousClock.now
        while true {
            condition.lock()
            var woken = false
            while true {
                moveDueRetries()
                if !ready.isEmpty || stopped { break }
                woken = true
                waiting = true
                if let earliest = delayed.map(\.at).min() {
                    let seconds = Self.seconds(ContinuousClock.now.duration(to: earliest))
                    _ = condition.wait(until: Date(timeIntervalSinceNow: max(0, seconds)))
                } else {
                    condition.wait()
                }
                waiting = false
            }
            // Busy, the thread would otherwise start the next pass at once and write each log's
            // lines as they come. Appends meanwhile only queue (the thread is not `waiting`); it
            // sleeps in slices (on the monotonic clock, unlike a timed wait) to see a hurry.
            let end = woken ? ContinuousClock.now + linger : previousPass + linger
            while !hurry, !stopped {
                let left = ContinuousClock.now.duration(to: end)
                if left <= .zero { break }
                condition.unlock()
                Thread.sleep(forTimeInterval: Self.seconds(min(left, Self.lingerSlice)))
                condition.lock()
            }
            hurry = false
            previousPass = ContinuousClock.now
            if ready.isEmpty {
                condition.unlock()
                return
            }
            swap(&batch, &ready)
            condition.unlock()
            write(batch, with: &scratch)
            batch.removeAll(keepingCapacity: true)
        }
    }

    /// The longest sleep of a linger between looks at whether an outbox is closing.
    private static let lingerSlice = Duration.milliseconds(20)

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Moves outboxes whose retry is due, or that are closing, back to the ready list.
    /// Caller holds `condition`.
    private func moveDueRetries() {
        guard !delayed.isEmpty else { return }
        let now = ContinuousClock.now
        delayed.removeAll { item in
            guard item.at <= now || item.outbox.isClosing else { return false }
            ready.append(item.outbox)
            return true
        }
    }

    /// The writing pass's working memory, kept by the thread from pass to pass so that a pass
    /// allocates nothing once warm (1,000 logs make a pass every few milliseconds).
    private struct Scratch {
        /// The lines of the outboxes sharing a sink, joined for one call.
        var joined: [UInt8] = []
        /// Which outboxes of the pass are written.
        var done: [Bool] = []
        /// The outboxes sharing the current sink and what each gave.
        var group: [(outbox: Outbox, batch: Outbox.Batch?)] = []
    }

    /// Writes `outboxes`: one call per sink, the lines of the outboxes sharing it joined.
    private func write(_ outboxes: [Outbox], with scratch: inout Scratch) {
        scratch.done.removeAll(keepingCapacity: true)
        scratch.done.append(contentsOf: repeatElement(false, count: outboxes.count))
        for index in outboxes.indices where !scratch.done[index] {
            let sink = outboxes[index].sink
            scratch.group.removeAll(keepingCapacity: true)
            var taken = 0
            for other in index..<outboxes.count where !scratch.done[other] && outboxes[other].sink === sink {
                scratch.done[other] = true
                let batch = outboxes[other].take()
                if batch != nil { taken += 1 }
                scratch.group.append((outboxes[other], batch))
            }
            var error: SinkWriteError?
            if taken == 1, let only = scratch.group.first(where: { $0.batch != nil })?.batch {
                error = Self.write(only.bytes, to: sink)
            } else if taken > 1 {
                scratch.joined.removeAll(keepingCapacity: scratch.joined.capacity <= 1 << 16)
                for item in scratch.group { if let batch = item.batch { scratch.joined.append(contentsOf: batch.bytes) } }
                error = Self.write(scratch.joined, to: sink)
            }
            for item in scratch.group.indices {
                let outbox = scratch.group[item].outbox
                let batch = scratch.group[item].batch.take()
                let failed = batch == nil ? nil : error
                switch outbox.finish(consume batch, error: failed) {
                case .idle: break
                case .again: requeue(outbox, at: nil)
                case .retry(let at): requeue(outbox, at: at)
                }
            }
        }
        scratch.group.removeAll(keepingCapacity: true)
    }

    private static func write(_ bytes: [UInt8], to sink: any OutboxSink) -> SinkWriteError? {
        do {
            try sink.write(bytes)
            return nil
        } catch {
            return error
        }
    }

    private func requeue(_ outbox: Outbox, at: ContinuousClock.Instant?) {
        condition.lock()
        if let at { delayed.append((outbox, at)) } else { ready.append(outbox) }
        condition.unlock()
    }
}

/// The few writer threads every session log of the process shares, each log assigned to one
/// of them in turn.
public final class OutboxWriters: Sendable {
    /// The process's log writers. Shared on purpose, like NIO's event-loop group: a fixed pair
    /// of threads serves any number of sessions (a thread per session would not scale), and
    /// each holds nothing of a session beyond the outboxes queued on it (docs/architecture.md).
    /// Their linger is long: nobody waits on a log line, and with 1,000 sessions a quarter of a
    /// second turns about half of the writes into one write each (engine-scale, BENCHMARKS.md).
    public static let shared = OutboxWriters(count: 2, name: "convtui-log-writer", linger: logLinger)

    /// How long a log writer gathers lines before it writes: also the lines, at most, that a
    /// SIGKILL takes from a log on a disk that keeps up (docs/architecture.md).
    public static let logLinger = Duration.milliseconds(250)

    private let writers: [OutboxWriter]
    private let next = Locked(0)

    public init(count: Int, name: String, linger: Duration = .milliseconds(5)) {
        writers = (0..<max(1, count)).map { OutboxWriter(name: "\(name)-\($0 + 1)", linger: linger) }
    }

    /// The writer for the next outbox.
    public func assign() -> OutboxWriter {
        let index = next.withLock { n in
            defer { n = (n + 1) % writers.count }
            return n
        }
        return writers[index]
    }
}
