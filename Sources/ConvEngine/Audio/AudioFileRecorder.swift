#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `close(2)`, out of the way of ``AudioFileRecorder/close()``.
private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}

/// Writes one side of a session's audio (the agent's or the user's) to a mono PCM16 WAV file
/// as it passes (`--save-audio`).
///
/// The header is rewritten after every chunk, so the file is a valid WAV at any moment, even
/// if the process dies. Audio at another rate than the first chunk's is resampled to it. The
/// file holds the chunks back to back, in order; the log's `agent_audio` and `user_audio`
/// lines say when each was heard (``ReplayAudioTrack`` puts them back on the log's time).
public final class AudioFileRecorder: Sendable {
    private let file: Locked<File>

    private struct File {
        var path: String?
        var descriptor: Int32 = -1
        var rate = 0
        var dataBytes = 0
        var failed = false
    }

    /// A recorder writing to `path`; nil when the path is only known later (``place(at:)``).
    public init(path: String? = nil) {
        file = Locked(File(path: path))
    }

    /// Where the file goes, when it was not known at creation (next to a session's log, which
    /// is named when the session is made); audio appended before that is not kept.
    public func place(at path: String) {
        file.withLock { f in if f.path == nil { f.path = path } }
    }

    /// The file's path, once placed.
    public var path: String? { file.withLock { $0.path } }

    /// Appends a chunk; a write error stops the recording quietly (the session goes on).
    public func append(_ chunk: AudioChunk) {
        file.withLock { f in
            guard !f.failed, !chunk.pcm.isEmpty, let path = f.path else { return }
            if f.descriptor < 0 {
                f.descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
                f.rate = chunk.sampleRate
                guard f.descriptor >= 0 else {
                    f.failed = true
                    return
                }
            }
            let pcm = Resampler.convert(chunk, to: f.rate).pcm
            let header = WAVFile.header(sampleRate: f.rate, dataBytes: f.dataBytes + pcm.count)
            let ok = write(pcm, at: 44 + f.dataBytes, to: f.descriptor) && write(header, at: 0, to: f.descriptor)
            if ok { f.dataBytes += pcm.count } else { f.failed = true }
        }
    }

    /// Seconds of audio written so far.
    public var seconds: Double {
        file.withLock { f in f.rate > 0 ? Double(f.dataBytes) / Double(2 * f.rate) : 0 }
    }

    public func close() {
        file.withLock { f in
            if f.descriptor >= 0 { closeDescriptor(f.descriptor) }
            f.descriptor = -1
            f.failed = true
        }
    }

    private func write(_ bytes: [UInt8], at offset: Int, to descriptor: Int32) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = pwrite(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
                if n < 0, errno == EINTR { continue }
                if n <= 0 { return false }
                done += n
            }
            return true
        }
    }

    deinit {
        file.withLock { f in
            if f.descriptor >= 0 { closeDescriptor(f.descriptor) }
        }
    }
}
