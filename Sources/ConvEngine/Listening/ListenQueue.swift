/// The agent audio of the listened pane waiting to be played, oldest first, bounded in time.
///
/// Servers send speech faster than real time (a reply arrives in bursts), so the queue holds
/// whole replies; past `capacityMilliseconds` the oldest audio goes. At an interruption,
/// ``dropInterrupted(watermark:)`` removes what the session's watermark makes stale, so the
/// operator hears what the caller hears.
public struct ListenQueue: Sendable {
    /// One piece of audio, whose it is, and when it arrived (for the arrival-to-speaker
    /// latency). User audio has no event id.
    public struct Piece: Sendable, Equatable {
        public let audio: AgentAudio
        public let arrivedAt: ContinuousClock.Instant
        public let side: LevelMeters.Side

        public init(audio: AgentAudio, arrivedAt: ContinuousClock.Instant, side: LevelMeters.Side = .agent) {
            self.audio = audio
            self.arrivedAt = arrivedAt
            self.side = side
        }
    }

    public let capacityMilliseconds: Int
    private var pieces: [Piece] = []
    /// Index of the oldest piece still queued (taken pieces are removed in batches).
    private var head = 0
    public private(set) var queuedMilliseconds = 0
    /// Milliseconds of audio thrown away because the queue was full.
    public private(set) var overflowMilliseconds = 0

    public init(capacityMilliseconds: Int = 60_000) {
        self.capacityMilliseconds = capacityMilliseconds
    }

    public var isEmpty: Bool { head == pieces.count }

    public mutating func push(_ piece: Piece) {
        pieces.append(piece)
        queuedMilliseconds += piece.audio.chunk.durationMilliseconds
        while queuedMilliseconds > capacityMilliseconds, let oldest = take() {
            overflowMilliseconds += oldest.audio.chunk.durationMilliseconds
        }
    }

    /// The oldest piece, removed from the queue.
    public mutating func take() -> Piece? {
        guard head < pieces.count else { return nil }
        let piece = pieces[head]
        head += 1
        queuedMilliseconds -= piece.audio.chunk.durationMilliseconds
        if head == pieces.count {
            pieces.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64, head * 2 >= pieces.count {
            pieces.removeFirst(head)
            head = 0
        }
        return piece
    }

    /// Removes the agent audio an interruption made stale: every piece at or below `watermark`
    /// (the session's own rule for agent audio), and pieces without an event id, which were
    /// sent before the interruption. The user's audio stays. Returns the milliseconds dropped.
    @discardableResult
    public mutating func dropInterrupted(watermark: Int?) -> Int {
        let before = queuedMilliseconds
        let kept = pieces[head...].filter { $0.side == .user || !Self.isStale($0.audio, watermark: watermark) }
        pieces = Array(kept)
        head = 0
        queuedMilliseconds = kept.reduce(0) { $0 + $1.audio.chunk.durationMilliseconds }
        return before - queuedMilliseconds
    }

    /// Whether an interruption at `watermark` makes `audio` stale.
    public static func isStale(_ audio: AgentAudio, watermark: Int?) -> Bool {
        guard let id = audio.eventId, let watermark else { return true }
        return id <= watermark
    }

    public mutating func removeAll() {
        pieces.removeAll()
        head = 0
        queuedMilliseconds = 0
    }
}
