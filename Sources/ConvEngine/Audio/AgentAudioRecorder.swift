#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `close(2)`, out of the way of ``AgentAudioRecorder/close()``.
private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}

/// Writes one session's agent audio to a mono PCM16 WAV file as it arrives (`--save-audio`).
///
/// The header is rewritten after every chunk, so the file is a valid WAV at any moment, even
/// if the process dies. Audio at another rate than the first chunk's is resampled to it.
public final class AgentAudioRecorder: Sendable {
    public let path: String
    private let file = Locked(File())

    private struct File {
        var descriptor: Int32 = -1
        var rate = 0
        var dataBytes = 0
        var failed = false
    }

    public init(path: String) {
        self.path = path
    }

    /// Appends a chunk; a write error stops the recording quietly (the session goes on).
    public func append(_ chunk: AudioChunk) {
        file.withLock { f in
            guard !f.failed, !chunk.pcm.isEmpty else { return }
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
