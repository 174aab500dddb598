/// A bounded queue of whole lines on their way to one sink: filled by sessions on whatever
/// thread runs them (under a session's lock), emptied by an ``OutboxWriter`` thread.
///
/// Appending never waits for the sink: it copies the lines in under the outbox's own lock,
/// which the writer holds only to swap buffers, never while writing. Each appender has its
/// own bound (a *key*: a session log has one; headless stdout has one per session, so a
/// chatty session cannot crowd out a quiet one's lines, while all stay in one order). Past
/// ``OutboxLimit`` a key's appends are dropped whole and counted, and go on being dropped
/// until the writer has written the backlog, so a gap is one stretch whose length is known
/// exactly (``OutboxReport``).
public final class Outbox: Sendable {
    /// What the writer does when the sink fails.
    public enum FailurePolicy: Sendable, Equatable {
        /// Keep the lines (up to the limit) and try again this long after each failure (a log:
        /// a full disk may get room again).
        case retry(after: Duration)
        /// Discard everything and take nothing more (stdout: a closed pipe does not reopen).
        case giveUp
    }

    public let sink: any OutboxSink
    let limit: OutboxLimit
    let policy: FailurePolicy
    private let writer: OutboxWriter
    private let report: @Sendable (OutboxReport) -> Void
    private let state: Locked<State>

    private struct State {
        /// Whole lines not yet taken by the writer.
        var pending: [UInt8] = []
        var pendingLines = 0
        /// Per key: lines not written yet (queued or being written; the bound applies to
        /// these) and whether its lines are being dropped.
        var keys: [(unwritten: Int, dropping: Bool)] = []
        /// Per key: lines queued (taken whole by the writer with the bytes).
        var queued: [Int] = []
        /// Buffers the writer gave back, reused for the next batch: a batch allocates nothing.
        var spare: [UInt8] = []
        var spareQueued: [Int] = []
        /// Lines dropped since the outbox last caught up.
        var dropped = 0
        var totalDropped = 0
        /// Lines thrown away when the outbox gave up on its sink.
        var discarded = 0
        /// The last write failed.
        var failing = false
        /// A write failed or lines were dropped since the outbox last caught up.
        var impaired = false
        /// With the writer: queued, waiting for a retry or being written.
        var scheduled = false
        /// The writer was told to cut its linger short for the lines queued now.
        var hurried = false
        var closing = false
        var closed = false
    }

    /// - Parameters:
    ///   - writer: the thread that writes this outbox (one of a few shared ones).
    ///   - report: told of failures and recoveries, on the writer's thread.
    public init(
        sink: any OutboxSink, writer: OutboxWriter, limit: OutboxLimit, policy: FailurePolicy,
        report: @escaping @Sendable (OutboxReport) -> Void = { _ in }
    ) {
        self.sink = sink
        self.writer = writer
        self.limit = limit
        self.policy = policy
        self.report = report
        state = Locked(State())
    }

    /// Appends `count` whole lines, written by `body` (each with its newline), unless `key`
    /// has ``OutboxLimit/lines`` lines waiting or the outbox ``OutboxLimit/bytes`` bytes: then
    /// they are dropped and counted. Never blocks on the sink.
    @discardableResult
    public func append(lines count: Int, key: Int = 0, _ body: (inout [UInt8]) -> Void) -> OutboxAppend {
        let key = max(0, key)
        let (outcome, wake, hurry) = state.withLock { s -> (OutboxAppend, Bool, Bool) in
            // A closing outbox still takes lines: what its last reports add (a gap's marker)
            // goes out before the sink closes.
            if s.closed { return (.closed, false, false) }
            while key >= s.keys.count {
                s.keys.append((0, false))
                s.queued.append(0)
            }
            if !s.keys[key].dropping, s.keys[key].unwritten + count <= limit.lines {
                let before = s.pending.count
                body(&s.pending)
                // One batch larger than the whole limit still goes through on its own.
                if s.pending.count <= limit.bytes || before == 0 {
                    s.pendingLines += count
                    s.keys[key].unwritten += count
                    s.queued[key] += count
                    let wake = !s.scheduled
                    s.scheduled = true
                    // Half the bound waiting: write now rather than after the writer's linger,
                    // or a fast session (a flood of audio frames) would overrun it meanwhile.
                    let hurry = !s.hurried && (s.keys[key].unwritten * 2 >= limit.lines || s.pending.count * 2 >= limit.bytes)
                    if hurry { s.hurried = true }
                    return (.queued, wake, hurry)
                }
                s.pending.removeSubrange(before...)
            }
            let first = s.dropped == 0
            s.keys[key].dropping = true
            s.dropped += count
            s.totalDropped += count
            s.impaired = true
            return (.dropped(first: first), false, false)
        }
        if wake {
            writer.schedule(self, hurry: hurry)
        } else if hurry {
            writer.wake()
        }
        return outcome
    }

    /// Writes out what is queued, then closes the sink; appends are refused once it is closed.
    /// Lines appended meanwhile are written first, among them those that the reports of the
    /// last writes add (a gap's marker, the reason a write failed). A sink that fails at this
    /// point is given up on (its lines counted in ``discardedLines``).
    public func close() {
        let wake = state.withLock { s -> Bool in
            guard !s.closing, !s.closed else { return false }
            s.closing = true
            let wake = !s.scheduled
            s.scheduled = true
            return wake
        }
        if wake { writer.schedule(self, hurry: true) } else { writer.wake() }
    }

    /// ``close()``, then waits until the sink is closed or `timeout` has passed; true when closed.
    public func close(within timeout: Duration) async -> Bool {
        close()
        let deadline = ContinuousClock.now + timeout
        while !isClosed {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return true
    }

    /// Gives up on what is not written yet (a reader that stopped for good, at exit): queued
    /// lines are thrown away (counted in ``discardedLines``) and nothing more is taken. A write
    /// under way is left to finish or not.
    public func abandon() {
        state.withLock { s in
            guard !s.closed else { return }
            s.discarded += s.pendingLines
            s.pending = []
            s.pendingLines = 0
            s.closing = true
            s.closed = true
        }
    }

    public var isClosed: Bool { state.withLock { $0.closed } }
    var isClosing: Bool { state.withLock { $0.closing } }
    /// Lines waiting for the writer.
    public var pendingLines: Int { state.withLock { $0.pendingLines } }
    /// Lines not written yet: waiting for the writer or being written.
    public var unwrittenLines: Int { state.withLock { $0.keys.reduce(0) { $0 + $1.unwritten } } }
    /// Lines dropped because the outbox was full, since it was made.
    public var droppedLines: Int { state.withLock { $0.totalDropped } }
    /// Lines thrown away because the sink failed for good.
    public var discardedLines: Int { state.withLock { $0.discarded } }

    // MARK: The writer's side

    /// Lines taken for one write: their bytes, how many, and how many of each key. The writer
    /// hands it back to ``finish(_:error:)``, which keeps its buffers for the next batch.
    struct Batch {
        var bytes: [UInt8]
        let lines: Int
        var perKey: [Int]
    }

    /// Takes every queued line for one write; nil when there is nothing to write.
    func take() -> Batch? {
        state.withLock { s in
            guard !s.closed, s.pendingLines > 0 else { return nil }
            var queued = s.spareQueued
            s.spareQueued = []
            if queued.count != s.queued.count { queued = Array(repeating: 0, count: s.queued.count) }
            swap(&queued, &s.queued)
            var bytes = s.spare
            s.spare = []
            swap(&bytes, &s.pending)
            let batch = Batch(bytes: bytes, lines: s.pendingLines, perKey: queued)
            s.pendingLines = 0
            s.hurried = false
            return batch
        }
    }

    /// What the writer does with this outbox next.
    enum Next {
        /// Nothing queued: it leaves the writer until the next append.
        case idle
        /// More lines came in meanwhile (or the sink is to be closed): queue it again.
        case again
        /// Try the failed write again at this time.
        case retry(at: ContinuousClock.Instant)
    }

    /// Records how a write of `batch` went (nil when there was nothing to write) and says what
    /// comes next. Closes the sink when the outbox is closing and empty.
    /// The writer passes the batch on (`consuming`) so that its buffers come back unshared and
    /// are reused without a copy.
    func finish(_ taken: consuming Batch?, error: SinkWriteError?) -> Next {
        var reports: [OutboxReport] = []
        var closeSink = false
        var batch = taken.take()
        let next = state.withLock { s -> Next in
            if let error, let batch {
                if !s.failing { reports.append(.writeFailed(error)) }
                s.failing = true
                s.impaired = true
                if case .retry(let delay) = policy, !s.closing {
                    s.pending = batch.bytes + s.pending
                    s.pendingLines += batch.lines
                    for (key, count) in batch.perKey.enumerated() { s.queued[key] += count }
                    return .retry(at: .now + delay)
                }
                s.discarded += batch.lines + s.pendingLines
                s.pending = []
                s.pendingLines = 0
                for key in s.keys.indices {
                    s.keys[key].unwritten = 0
                    s.queued[key] = 0
                }
                s.closing = true
            } else if batch != nil {
                var spare: [UInt8] = []
                var counts: [Int] = []
                swap(&spare, &batch!.bytes)
                swap(&counts, &batch!.perKey)
                // The room of a usual batch is kept; that of a huge one is not.
                spare.removeAll(keepingCapacity: spare.capacity <= 1 << 16)
                s.spare = spare
                s.failing = false
                for key in counts.indices {
                    s.keys[key].unwritten -= counts[key]
                    counts[key] = 0
                }
                s.spareQueued = counts
                if s.impaired, s.pendingLines == 0 {
                    reports.append(.caughtUp(droppedLines: s.dropped))
                    s.impaired = false
                    s.dropped = 0
                    for key in s.keys.indices { s.keys[key].dropping = false }
                }
            }
            if s.pendingLines > 0 { return .again }
            if s.closing, !s.closed {
                // What this pass reports may add a line (a gap's marker, a failure's reason):
                // the sink closes on the next pass, after it.
                if !reports.isEmpty { return .again }
                closeSink = true
                s.closed = true
            }
            s.scheduled = false
            return .idle
        }
        if closeSink { sink.close() }
        for item in reports { report(item) }
        return next
    }
}
