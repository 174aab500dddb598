#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `close(2)`, out of the way of ``WAVFileSink/close()``.
private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}

/// A mono PCM16 WAV file that grows by whole writes of samples: the data goes after what is
/// there, then the header is rewritten for the new length, so the file is valid at any moment.
///
/// Made without touching the disk; the file is created (`0600`, replacing one of that name) by
/// the first write, on whichever thread writes: an ``OutboxWriter``'s, never an event loop.
final class WAVFileSink: OutboxSink, @unchecked Sendable {  // one thread at a time: its outbox's writer, or its recorder under its lock
    let name: String
    private let sampleRate: Int
    private var descriptor: Int32 = -1
    private var dataBytes = 0

    init(path: String, sampleRate: Int) {
        name = path
        self.sampleRate = sampleRate
    }

    func write(_ pcm: [UInt8]) throws(SinkWriteError) {
        if descriptor < 0 {
            descriptor = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw SinkWriteError(errno: errno) }
        }
        try write(pcm, at: 44 + dataBytes)
        try write(WAVFile.header(sampleRate: sampleRate, dataBytes: dataBytes + pcm.count), at: 0)
        dataBytes += pcm.count
    }

    func close() {
        if descriptor >= 0 { closeDescriptor(descriptor) }
        descriptor = -1
    }

    private func write(_ bytes: [UInt8], at offset: Int) throws(SinkWriteError) {
        let failure: Int32? = bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = pwrite(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
                if n < 0, errno == EINTR { continue }
                if n < 0 { return errno }
                if n == 0 { return EIO }
                done += n
            }
            return nil
        }
        if let failure { throw SinkWriteError(errno: failure) }
    }

    deinit {
        close()
    }
}
