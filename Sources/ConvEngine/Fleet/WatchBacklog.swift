/// The lines waiting for one watcher, bounded so that a watcher that reads slowly costs the
/// agent a fixed amount of memory and never slows a session.
///
/// Past ``Limits/audioLines`` waiting lines (or ``Limits/audioBytes``), new audio chunks are
/// dropped and counted; text, phase, alert and every other event are kept. Past
/// ``Limits/lines`` or ``Limits/bytes`` the watcher is cut off: its backlog is emptied and
/// ``cutReason`` says why, so it can reconnect and resume from its last sequence number.
public struct WatchBacklog: Sendable {
    /// How much may wait for one watcher.
    public struct Limits: Sendable, Equatable {
        public var audioLines: Int
        public var audioBytes: Int
        public var lines: Int
        public var bytes: Int

        public init(audioLines: Int = 2_048, audioBytes: Int = 4 << 20, lines: Int = 32_768, bytes: Int = 32 << 20) {
            self.audioLines = audioLines
            self.audioBytes = audioBytes
            self.lines = lines
            self.bytes = bytes
        }
    }

    public let limits: Limits
    private var pending: [WatchLine] = []
    /// Index of the oldest waiting line in `pending` (taken lines before it are compacted away).
    private var head = 0
    public private(set) var waitingBytes = 0
    /// Audio chunks dropped over the watcher's life.
    public private(set) var droppedAudio = 0
    /// Drops not yet handed out with a ``take(upTo:)``.
    private var unreported = 0
    /// Why the watcher was cut off, once it was.
    public private(set) var cutReason: String?

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Lines waiting.
    public var waitingLines: Int { pending.count - head }

    /// Queues `line`. A replayed line (the watcher's requested past) is never dropped for
    /// being audio: the past is bounded by the agent's ring, which ``Limits/lines`` exceeds.
    public mutating func push(_ line: WatchLine, replay: Bool = false) {
        guard cutReason == nil else { return }
        let size = line.line.count
        if line.isAudioChunk, !replay, waitingLines >= limits.audioLines || waitingBytes + size > limits.audioBytes {
            droppedAudio += 1
            unreported += 1
            return
        }
        guard waitingLines < limits.lines, waitingBytes + size <= limits.bytes else {
            cutReason = "the watcher fell behind: \(waitingLines) events (\(waitingBytes) bytes) were waiting"
            pending = []
            head = 0
            waitingBytes = 0
            return
        }
        pending.append(line)
        waitingBytes += size
    }

    /// Takes up to `limit` of the oldest waiting lines, and the audio chunks dropped since the
    /// last take.
    public mutating func take(upTo limit: Int) -> (lines: [WatchLine], droppedAudio: Int) {
        defer { unreported = 0 }
        if head == 0, limit >= pending.count {
            // All of it: hand the array over rather than copy it under the journal's lock, which
            // every session's event waits for.
            var lines: [WatchLine] = []
            swap(&lines, &pending)
            // The next batch is likely as long: one allocation, not a doubling per few lines.
            pending.reserveCapacity(lines.count)
            waitingBytes = 0
            return (lines, unreported)
        }
        let end = min(pending.count, head + max(0, limit))
        let lines = Array(pending[head..<end])
        head = end
        for line in lines { waitingBytes -= line.line.count }
        if head == pending.count {
            pending.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1_024, head * 2 >= pending.count {
            pending.removeFirst(head)
            head = 0
        }
        return (lines, unreported)
    }
}
