import ConvEngine

/// Whole lines to stdout and stderr, from any thread, each line whole and in the order it
/// was produced.
///
/// Sessions report events from their own threads; a lock keeps lines from interleaving.
/// Lines produced on an event loop (the events of the frames it is handling) are gathered
/// and written in one `write(2)` once that loop iteration has handled the sockets that woke
/// it (``EventLoopTick``): no timer and no delay beyond the iteration, and far fewer system
/// calls and reader wake-ups under load. Lines from anywhere else are written at once
/// (with anything still gathered before them), so nothing sits in a buffer for longer than
/// one loop iteration or a ``batched(_:)`` call.
final class HeadlessOutput: Sendable {
    private let pending = Locked(Pending())
    private let stdoutDescriptor: Int32
    private let currentTick: @Sendable () -> EventLoopTick.Deferral?

    private struct Pending {
        /// stdout bytes not written yet.
        var bytes: [UInt8] = []
        /// A ``batched(_:)`` call is running: its end writes the bytes.
        var batching = false
        /// An event-loop iteration will write the bytes when it ends.
        var flushQueued = false
    }

    /// - Parameters:
    ///   - stdout: where stdout lines go (tests read them from a pipe).
    ///   - currentTick: the calling thread's event-loop iteration, nil off a loop (tests stand
    ///     in for the loop).
    init(stdout: Int32 = 1, currentTick: @escaping @Sendable () -> EventLoopTick.Deferral? = EventLoopTick.current) {
        stdoutDescriptor = stdout
        self.currentTick = currentTick
    }

    /// One session event as a JSON line: `{"session":1,"name":"ava","type":…,"t":…,"run":…,…}`.
    func event(session number: Int, name: String, _ event: SessionEvent) {
        stdout { bytes in
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

    /// A diagnostic line on stderr.
    func diagnostic(_ text: String) {
        _ = DescriptorWriter.writeAll(Array((text + "\n").utf8), to: 2)
    }

    /// Writes whatever stdout lines are still gathered.
    func flush() {
        pending.withLock { writeOut(&$0) }
    }

    /// Runs `body` with stdout lines (from any thread) collected and written in one `write(2)`
    /// at its end: a stop-all's hundreds of lines cost one system call and one reader wake-up.
    func batched<Result>(_ body: () -> Result) -> Result {
        pending.withLock { $0.batching = true }
        defer {
            pending.withLock { pending in
                pending.batching = false
                writeOut(&pending)
            }
        }
        return body()
    }

    /// Appends one line (written by `body`, without its newline) to the gathered bytes, and
    /// writes them now unless a batch or the end of this loop iteration will.
    private func stdout(_ body: (inout [UInt8]) -> Void) {
        pending.withLock { pending in
            body(&pending.bytes)
            pending.bytes.append(0x0A)
            if pending.batching { return }
            guard let later = currentTick() else {
                writeOut(&pending)
                return
            }
            if !pending.flushQueued {
                pending.flushQueued = true
                later { [self] in self.loopIterationEnded() }
            }
        }
    }

    private func loopIterationEnded() {
        pending.withLock { pending in
            pending.flushQueued = false
            if !pending.batching { writeOut(&pending) }
        }
    }

    private func writeOut(_ pending: inout Pending) {
        guard !pending.bytes.isEmpty else { return }
        _ = DescriptorWriter.writeAll(pending.bytes, to: stdoutDescriptor)
        // The room of a usual iteration is kept; that of a huge line or a stop-all is not.
        pending.bytes.removeAll(keepingCapacity: pending.bytes.capacity <= Self.keptCapacity)
    }

    private static var keptCapacity: Int { 1 << 16 }
}
