import Foundation

/// One thread that writes the lines of many outboxes to their sinks.
///
/// Outboxes queue themselves here when lines arrive; the thread takes everything queued at
/// once and gives each sink one `write(2)` for all of it — the lines of every outbox that
/// shares the sink (all sessions' stdout lines) are joined into that one call. A sink that
/// blocks holds up this thread only, never the sessions that fill its outboxes.
///
/// Woken from idle, the thread first lets ``linger`` pass, so the lines that arrive meanwhile go
/// out in the same pass: with a thousand sessions each adding a line now and then, waking for
/// every line cost more CPU in thread switches than the writes themselves (engine-scale,
/// docs/benchmarks.md). A line reaches its sink at most ``linger`` later for it.
public final class OutboxWriter: @unchecked Sendable {  // every stored var is reached only under `condition`
    private let condition = NSCondition()
    private var ready: [Outbox] = []
    private var delayed: [(outbox: Outbox, at: ContinuousClock.Instant)] = []
    private var waiting = false
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

    func schedule(_ outbox: Outbox) {
        condition.lock()
        ready.append(outbox)
        if waiting { condition.signal() }
        condition.unlock()
    }

    /// Wakes the thread to look at outboxes waiting for a retry (one of them is closing).
    func wake() {
        condition.lock()
        if waiting { condition.signal() }
        condition.unlock()
    }

    private func run() {
        var batch: [Outbox] = []
        var joined: [UInt8] = []
        while true {
            condition.lock()
            var woken = false
            while true {
                moveDueRetries()
                if !ready.isEmpty || stopped { break }
                woken = true
                waiting = true
                if let earliest = delayed.map(\.at).min() {
                    let wait = ContinuousClock.now.duration(to: earliest).components
                    let seconds = Double(wait.seconds) + Double(wait.attoseconds) / 1e18
                    _ = condition.wait(until: Date(timeIntervalSinceNow: max(0, seconds)))
                } else {
                    condition.wait()
                }
                waiting = false
            }
            if woken, !stopped, linger > .zero {
                // Appends meanwhile only queue (`waiting` is false), they do not signal.
                condition.unlock()
                Thread.sleep(forTimeInterval: Double(linger.components.seconds) + Double(linger.components.attoseconds) / 1e18)
                condition.lock()
            }
            if ready.isEmpty {
                condition.unlock()
                return
            }
            swap(&batch, &ready)
            condition.unlock()
            write(batch, joined: &joined)
            batch.removeAll(keepingCapacity: true)
        }
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

    /// Writes `outboxes`: one call per sink, the lines of the outboxes sharing it joined.
    private func write(_ outboxes: [Outbox], joined: inout [UInt8]) {
        var index = 0
        var done = Array(repeating: false, count: outboxes.count)
        while index < outboxes.count {
            defer { index += 1 }
            if done[index] { continue }
            let sink = outboxes[index].sink
            var group: [(Outbox, Outbox.Batch?)] = []
            for other in index..<outboxes.count where !done[other] && outboxes[other].sink === sink {
                done[other] = true
                group.append((outboxes[other], outboxes[other].take()))
            }
            let batches = group.compactMap(\.1)
            var error: SinkWriteError?
            if batches.count == 1 {
                error = Self.write(batches[0].bytes, to: sink)
            } else if batches.count > 1 {
                joined.removeAll(keepingCapacity: joined.capacity <= 1 << 16)
                for batch in batches { joined.append(contentsOf: batch.bytes) }
                error = Self.write(joined, to: sink)
            }
            for (outbox, taken) in group {
                switch outbox.finish(taken, error: taken == nil ? nil : error) {
                case .idle: break
                case .again: requeue(outbox, at: nil)
                case .retry(let at): requeue(outbox, at: at)
                }
            }
        }
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
    public static let shared = OutboxWriters(count: 2, name: "convtui-log-writer")

    private let writers: [OutboxWriter]
    private let next = Locked(0)

    public init(count: Int, name: String) {
        writers = (0..<max(1, count)).map { OutboxWriter(name: "\(name)-\($0 + 1)") }
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
