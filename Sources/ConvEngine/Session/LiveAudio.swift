/// Push-to-talk's audio on its way into a session
/// (``ConversationSession/streamLiveAudio(sampleRate:chunkMilliseconds:)``).
///
/// It holds the session's send gate from the moment it was opened until its audio, the
/// session's trailing silence and the end of the turn have gone out after ``end()``, or the
/// session stopped, or a send failed. ``send(_:)`` never blocks: the session's own task does the
/// sending, so a capture thread can hand chunks over as they are recorded.
public struct LiveAudio: Sendable {
    /// Chunks waiting to be sent, at most (10 s of 100 ms chunks); past that the oldest go.
    public static var queueLimit: Int { 100 }

    private let feed: AsyncStream<AudioChunk>.Continuation
    private let task: Task<SendError?, Never>

    init(feed: AsyncStream<AudioChunk>.Continuation, task: Task<SendError?, Never>) {
        self.feed = feed
        self.task = task
    }

    /// Queues a captured chunk; false once the stream has ended (the session stopped, a send
    /// failed, or ``end()`` was called).
    @discardableResult
    public func send(_ chunk: AudioChunk) -> Bool {
        if case .terminated = feed.yield(chunk) { return false }
        return true
    }

    /// The user stopped talking: what is queued, then the trailing silence, then the end of
    /// the turn go out.
    public func end() {
        feed.finish()
    }

    /// Waits until the stream is over: nil when everything went out; else why not
    /// (``SendError/cancelled`` when the session stopped).
    public var outcome: SendError? {
        get async { await task.value }
    }
}
