/// Writes one side of a session's audio (the agent's or the user's) to a mono PCM16 WAV file
/// as it passes (`--save-audio`).
///
/// The header is rewritten after every write, so the file is a valid WAV at any moment, even
/// if the process dies. Audio at another rate than the first chunk's is resampled to it. The
/// file holds the chunks back to back, in order; the log's `agent_audio` and `user_audio`
/// lines say when each was heard (``ReplayAudioTrack`` puts them back on the log's time).
///
/// Made with a writer (a session's recording), a chunk is only queued where it arrives (agent
/// audio arrives on an event loop every session's socket shares) and a log writer thread
/// writes it, as it does the logs: a stalled disk never holds up a session. The queue is
/// bounded (``OutboxLimit/audio``); a chunk that does not fit, or a write that fails, stops the
/// recording quietly, since a file with a piece missing would put the rest out of step. Made
/// without one, each chunk is written at once on the caller's thread.
public final class AudioFileRecorder: Sendable {
    private let writer: OutboxWriter?
    private let state = Locked(State())

    private struct State {
        var path: String?
        var file: WAVFileSink?
        var outbox: Outbox?
        var rate = 0
        var bytes = 0
        var failed = false
    }

    /// A recorder writing to `path`; nil when the path is only known later (``place(at:)``).
    /// With `writer`, chunks are written on that thread (see the type's notes).
    public init(path: String? = nil, writer: OutboxWriter? = nil) {
        self.writer = writer
        state.withLock { $0.path = path }
    }

    /// Where the file goes, when it was not known at creation (next to a session's log, which
    /// is named when the session is made); audio appended before that is not kept.
    public func place(at path: String) {
        state.withLock { s in if s.path == nil { s.path = path } }
    }

    /// The file's path, once placed.
    public var path: String? { state.withLock { $0.path } }

    /// Appends a chunk; a write error stops the recording quietly (the session goes on).
    public func append(_ chunk: AudioChunk) {
        state.withLock { s in
            guard !s.failed, !chunk.pcm.isEmpty, let path = s.path else { return }
            if s.file == nil {
                s.rate = chunk.sampleRate
                let file = WAVFileSink(path: path, sampleRate: chunk.sampleRate)
                s.file = file
                if let writer {
                    s.outbox = Outbox(sink: file, writer: writer, limit: .audio, policy: .giveUp) { [weak self] report in
                        if case .writeFailed = report { self?.state.withLock { $0.failed = true } }
                    }
                }
            }
            let pcm = Resampler.convert(chunk, to: s.rate).pcm
            if let outbox = s.outbox {
                guard outbox.append(lines: 1, { $0.append(contentsOf: pcm) }) == .queued else {
                    s.failed = true
                    outbox.abandon()
                    return
                }
            } else {
                do {
                    try s.file?.write(pcm)
                } catch {
                    s.failed = true
                    return
                }
            }
            s.bytes += pcm.count
        }
    }

    /// Seconds of audio recorded so far (queued for writing, with a writer).
    public var seconds: Double {
        state.withLock { s in s.rate > 0 ? Double(s.bytes) / Double(2 * s.rate) : 0 }
    }

    /// Writes what is queued (waiting up to `timeout`), then closes the file; nothing more is
    /// recorded.
    public func close(within timeout: Duration = .seconds(5)) async {
        let (outbox, file) = state.withLock { s in
            s.failed = true
            return (s.outbox, s.file)
        }
        if let outbox {
            if await !outbox.close(within: timeout) { outbox.abandon() }
        } else {
            file?.close()
        }
    }

    /// Closes the file of a recorder made without a writer; nothing more is recorded.
    public func close() {
        let file = state.withLock { s in
            s.failed = true
            return s.outbox == nil ? s.file : nil
        }
        file?.close()
    }
}
