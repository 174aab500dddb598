import ConvEngine

/// Whole lines to stdout and stderr, from any thread, each line whole and in the order it
/// was produced.
///
/// Made with ``queued(stdout:)`` (a headless run), stdout lines go to one ``Outbox`` that a
/// writer thread of its own empties, many lines per `write(2)`: a session that produces an
/// event only copies its line in and goes on, whatever the reader does. Each session may have
/// ``OutboxLimit/headless`` lines waiting; beyond that its lines are dropped and counted, and
/// once the reader has caught up `{"type":"output_dropped","lines":N}` says how many went
/// missing. When the reader goes away (EPIPE) the run is told (``whenStdoutCloses(_:)``) and
/// lines are thrown away from then on. Made plainly (`HeadlessOutput()`, commands that print
/// a report and exit), every line is written at once on the calling thread.
final class HeadlessOutput: Sendable {
    private let stdoutDescriptor: Int32
    fileprivate let queue: Queue?
    /// Serialises direct writes, so lines from several threads never interleave.
    private let direct = Locked(())

    /// The writer thread and outbox behind a queued output, and what it reported.
    fileprivate final class Queue: Sendable {
        let writer: OutboxWriter
        let outbox: Outbox
        let state = Locked(State())

        struct State {
            var stdoutClosed = false
            /// Dropped lines already said in an `output_dropped` line.
            var reported = 0
            var onClose: [@Sendable () -> Void] = []
        }

        init(writer: OutboxWriter, outbox: Outbox) {
            self.writer = writer
            self.outbox = outbox
        }
    }

    /// Writes each line at once, on the calling thread, to `stdout`.
    init(stdout: Int32 = 1) {
        stdoutDescriptor = stdout
        queue = nil
    }

    private init(stdout: Int32, limit: OutboxLimit) {
        stdoutDescriptor = stdout
        let writer = OutboxWriter(name: "convtui-stdout-writer")
        let reported = Locked<Queue?>(nil)
        let outbox = Outbox(
            sink: DescriptorSink(descriptor: stdout, name: "stdout"), writer: writer, limit: limit, policy: .giveUp
        ) { report in
            reported.withLock { $0 }?.handle(report)
        }
        let queue = Queue(writer: writer, outbox: outbox)
        reported.withLock { $0 = queue }
        self.queue = queue
    }

    /// An output whose stdout lines are written by a writer thread of its own and never wait
    /// for the reader (see the type's notes). Call ``finish()`` before the process exits.
    static func queued(stdout: Int32 = 1, limit: OutboxLimit = .headless) -> HeadlessOutput {
        HeadlessOutput(stdout: stdout, limit: limit)
    }

    /// One session event as a JSON line: `{"session":1,"name":"ava","type":…,"t":…,"run":…,…}`.
    func event(session number: Int, name: String, _ event: SessionEvent) {
        stdout(key: number) { bytes in
            event.writeLogLine(into: &bytes, session: (number, name))
        }
    }

    /// A JSON value as one stdout line.
    func json(_ value: JSONValue) {
        stdout { JSONWriter.write(value, into: &$0) }
    }

    /// A line of text on stdout.
    func line(_ text: String) {
        stdout { $0.append(contentsOf: text.utf8) }
    }

    /// A line (without its line end) on stdout, counted against the bound of `key` (a session,
    /// an agent) when lines queue.
    func line(_ bytes: [UInt8], key: Int) {
        stdout(key: key) { $0.append(contentsOf: bytes) }
    }

    /// A diagnostic line on stderr.
    func diagnostic(_ text: String) {
        _ = DescriptorSink.writeAll(Array((text + "\n").utf8), to: 2)
    }

    /// Calls `handler` (once, on the writer's thread) when stdout turns out to be closed:
    /// `… | head -1` has what it wanted, and the run ends as if told `quit`.
    func whenStdoutCloses(_ handler: @escaping @Sendable () -> Void) {
        guard let queue else { return }
        let closed = queue.state.withLock { state in
            if !state.stdoutClosed { state.onClose.append(handler) }
            return state.stdoutClosed
        }
        if closed { handler() }
    }

    /// Whether a write to stdout failed (the reader went away).
    var stdoutClosed: Bool { queue?.state.withLock { $0.stdoutClosed } ?? false }

    /// Lines queued and not yet taken by the writer (0 for a plain output).
    var waitingLines: Int { queue?.outbox.pendingLines ?? 0 }

    /// Writes out what is queued and ends the writer thread. Waits for the reader as long as it
    /// takes lines, but gives up once it has taken nothing for `stallLimit`: a reader that
    /// stopped reading must not keep the process alive. The lines dropped in the run (and any
    /// given up on here, the write under way included) are counted on stderr. Returns that count.
    @discardableResult
    func finish(stallLimit: Duration = .seconds(10)) async -> Int {
        guard let queue else { return 0 }
        queue.outbox.close()
        // Progress is a write finished: lines queued or in the write under way are not written.
        var waiting = queue.outbox.unwrittenLines
        var since = ContinuousClock.now
        while !queue.outbox.isClosed, ContinuousClock.now - since < stallLimit {
            try? await Task.sleep(for: .milliseconds(5))
            let now = queue.outbox.unwrittenLines
            if now != waiting {
                waiting = now
                since = .now
            }
        }
        let closed = queue.outbox.isClosed
        let abandoned = closed ? 0 : queue.outbox.unwrittenLines
        if !closed { queue.outbox.abandon() }
        queue.writer.stop()
        let dropped = queue.outbox.droppedLines + abandoned
        // The last `output_dropped` normally goes out through the outbox before it closes. Should
        // it not have (its own line was dropped), it is written here, but only once the writer is
        // done: never beside a write still under way, which would splice the two.
        let unsaid = queue.outbox.droppedLines - queue.state.withLock { $0.reported }
        if unsaid > 0, closed, !stdoutClosed {
            _ = DescriptorSink.writeAll(Queue.droppedLine(unsaid), to: stdoutDescriptor)
        }
        if dropped > 0 {
            diagnostic("convtui: \(dropped) stdout lines dropped (the reader did not keep up)")
        }
        return dropped
    }

    private func stdout(key: Int = 0, _ body: (inout [UInt8]) -> Void) {
        if let queue {
            queue.outbox.append(lines: 1, key: key) { bytes in
                body(&bytes)
                bytes.append(0x0A)
            }
            return
        }
        var bytes: [UInt8] = []
        body(&bytes)
        bytes.append(0x0A)
        direct.withLock { _ in _ = DescriptorSink.writeAll(bytes, to: stdoutDescriptor) }
    }
}

extension HeadlessOutput.Queue {
    /// `{"type":"output_dropped","lines":N}` and its newline.
    static func droppedLine(_ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        JSONWriter.write(.object([("type", "output_dropped"), ("lines", .int(count))]), into: &bytes)
        bytes.append(0x0A)
        return bytes
    }

    /// Says how many lines were dropped once the reader has caught up; on a closed stdout,
    /// tells the run.
    func handle(_ report: OutboxReport) {
        switch report {
        case .caughtUp(let dropped):
            guard dropped > 0 else { return }
            let line = Self.droppedLine(dropped)
            if outbox.append(lines: 1, { $0.append(contentsOf: line) }) == .queued {
                state.withLock { $0.reported += dropped }
            }
        case .writeFailed:
            let handlers = state.withLock { state in
                defer { state.onClose = [] }
                state.stdoutClosed = true
                return state.onClose
            }
            for handler in handlers { handler() }
        }
    }
}
