import CPulse
import ConvEngine

/// One blocking PulseAudio stream of mono PCM16 (libpulse's simple API): playback to the
/// default sink or capture from the default source.
///
/// Every call blocks, so a stream belongs to one thread of its own (``ListenPlayer``), never
/// an event loop or a caller holding a session's lock. Opening fails with a
/// ``SoundUnavailable`` whose reason is libpulse's error text: no server, no device.
final class PulseStream {
    /// Which way the audio goes.
    enum Direction {
        case playback, capture
    }

    let sampleRate: Int
    private let stream: OpaquePointer

    /// Connects to the sound server.
    /// - Parameters:
    ///   - bufferMilliseconds: playback's target buffer (it bounds the latency the server
    ///     adds); capture's fragment size.
    ///   - server: a server address (`unix:/path`); nil for the user's default (`PULSE_SERVER`,
    ///     else the session's server).
    ///   - device: a sink or source name; nil for the server's default.
    init(
        _ direction: Direction, sampleRate: Int, bufferMilliseconds: Int, name: String, server: String? = nil, device: String? = nil
    ) throws(SoundUnavailable) {
        var spec = pa_sample_spec(format: PA_SAMPLE_S16LE, rate: UInt32(sampleRate), channels: 1)
        let bytes = UInt32(sampleRate * bufferMilliseconds / 1000 * 2)
        let unset = UInt32.max
        // Playback: keep about `bytes` queued and start (or restart after an underrun) as soon
        // as a fragment is there, so a pause in the agent's audio adds no latency after it.
        var attributes = direction == .playback
            ? pa_buffer_attr(maxlength: unset, tlength: bytes, prebuf: bytes / 4, minreq: bytes / 4, fragsize: unset)
            : pa_buffer_attr(maxlength: unset, tlength: unset, prebuf: unset, minreq: unset, fragsize: bytes)
        var error: Int32 = 0
        let opened = pa_simple_new(
            server, "convtui", direction == .playback ? PA_STREAM_PLAYBACK : PA_STREAM_RECORD, device, name, &spec, nil, &attributes, &error)
        guard let opened else { throw SoundUnavailable(reason: Self.describe(error)) }
        self.sampleRate = sampleRate
        self.stream = opened
    }

    deinit {
        pa_simple_free(stream)
    }

    /// Plays `samples` (blocks while the server's buffer is full).
    func write(_ samples: [Int16]) throws(SoundUnavailable) {
        var error: Int32 = 0
        let result = samples.withUnsafeBytes { pa_simple_write(stream, $0.baseAddress, $0.count, &error) }
        if result < 0 { throw SoundUnavailable(reason: Self.describe(error)) }
    }

    /// Reads `count` samples (blocks until they were captured).
    func read(count: Int) throws(SoundUnavailable) -> [Int16] {
        var samples = [Int16](repeating: 0, count: count)
        var error: Int32 = 0
        let result = samples.withUnsafeMutableBytes { pa_simple_read(stream, $0.baseAddress, $0.count, &error) }
        if result < 0 { throw SoundUnavailable(reason: Self.describe(error)) }
        return samples
    }

    /// Throws away what the server holds but has not played yet (an interruption).
    func flush() {
        var error: Int32 = 0
        _ = pa_simple_flush(stream, &error)
    }

    /// Microseconds between a sample written now and its reaching the speaker.
    var latencyMicroseconds: Int {
        var error: Int32 = 0
        return Int(pa_simple_get_latency(stream, &error))
    }

    private static func describe(_ error: Int32) -> String {
        pa_strerror(error).map { String(cString: $0) } ?? "sound server error \(error)"
    }
}

/// Why sound cannot be played or captured: a sound server's own words, for the status bar.
struct SoundUnavailable: Error, Equatable {
    let reason: String
}
