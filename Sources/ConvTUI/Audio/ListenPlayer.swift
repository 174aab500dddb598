import ConsoleCore
import ConvEngine
import Foundation

/// Plays the listened pane's agent audio on the sound server, on a thread of its own.
///
/// The transports offer audio to a ``ListenTap`` (never blocking an event loop); this thread
/// takes it, resamples it to ``deviceRate`` and writes it in ``sliceMilliseconds`` slices.
/// Before each slice it reads the listened session's snapshot: when the session counted a new
/// interruption, the queued audio at or below the session's watermark is dropped and the
/// server's buffer flushed, so the operator stops hearing the agent when the caller does.
/// A player that fell behind the conversation (a busy machine) skips ahead (``ListenSchedule``),
/// so arrival to speaker stays bounded.
final class ListenPlayer: ListenControl {
    /// The stream's rate: every format (PCM at the announced rate, μ-law decoded, OpenAI's
    /// 24 kHz) is resampled to it once, here.
    static var deviceRate: Int { 48_000 }
    static var sliceMilliseconds: Int { 20 }
    /// The server's playback buffer: with the slices, it bounds the latency added here.
    static var bufferMilliseconds: Int { 60 }

    let tap: ListenTap
    private let sessions: [ConversationSession]
    private let server: String?
    private let device: String?
    private let status = Locked(Status())

    private struct Status {
        var unavailable: String? = "looking for a sound server"
        var stopped = false
        var latencies = LatencyRecord()
        var skippedMilliseconds = 0
    }

    /// - Parameters:
    ///   - server: a PulseAudio server address; nil for the user's default.
    ///   - device: the sink to play to; nil for the server's default (the user's choice).
    init(sessions: [ConversationSession], tap: ListenTap, server: String? = nil, device: String? = nil) {
        self.sessions = sessions
        self.tap = tap
        self.server = server
        self.device = device
    }

    /// Connects to the sound server and plays until ``stop()``, on a new thread.
    func start() {
        let thread = Thread { [self] in
            try? "convtui-listen".write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            run()
        }
        thread.start()
    }

    func stop() {
        status.withLock { $0.stopped = true }
        tap.listen(to: nil)
        tap.wake()
    }

    func listen(to pane: Int?) {
        tap.listen(to: pane.flatMap { sessions.indices.contains($0) ? sessions[$0].number : nil })
    }

    var unavailableReason: String? { status.withLock { $0.unavailable } }

    /// Arrival-to-speaker latencies measured so far.
    var latencies: LatencyRecord { status.withLock { $0.latencies } }

    /// Milliseconds of audio skipped to catch up with the conversation (``ListenSchedule``),
    /// for the pane listened to now.
    var skippedMilliseconds: Int { status.withLock { $0.skippedMilliseconds } }

    private var isStopped: Bool { status.withLock { $0.stopped } }

    private func run() {
        let stream: PulseStream
        do {
            stream = try PulseStream(
                .playback, sampleRate: Self.deviceRate, bufferMilliseconds: Self.bufferMilliseconds, name: "listen-in", server: server, device: device)
        } catch {
            status.withLock { $0.unavailable = "no sound server (\(error.reason))" }
            return
        }
        status.withLock { $0.unavailable = nil }
        var listened = Listened(generation: -1)
        while !isStopped {
            let next = tap.next(within: .milliseconds(50))
            let (number, generation) = tap.listened
            // Another pane (or none): what the server still holds of the last one goes.
            if generation != listened.generation {
                stream.flush()
                listened = Listened(generation: generation, session: sessions.first { $0.number == number })
            }
            guard let (piece, queuedFor) = next, queuedFor == generation else { continue }
            do {
                try play(piece, on: stream, listened: &listened)
            } catch {
                status.withLock { $0.unavailable = "the sound server stopped (\(error.reason))" }
                return
            }
        }
    }

    /// The listened session, the interruptions already acted on and the schedule of its audio.
    private struct Listened {
        let generation: Int
        var session: ConversationSession?
        var interruptions = 0
        var schedule = ListenSchedule()

        init(generation: Int, session: ConversationSession? = nil) {
            self.generation = generation
            self.session = session
            interruptions = session?.snapshot.state.counters.interruptions ?? 0
        }

        /// The session's watermark when it counted an interruption since the last call.
        mutating func newInterruption() -> Int?? {
            guard let state = session?.snapshot.state, state.counters.interruptions != interruptions else { return nil }
            interruptions = state.counters.interruptions
            return .some(state.lastInterruptId)
        }
    }

    private func play(_ piece: ListenQueue.Piece, on stream: PulseStream, listened: inout Listened) throws(SoundUnavailable) {
        let samples = Resampler.convert(piece.audio.chunk, to: Self.deviceRate).samples
        let slice = Self.deviceRate * Self.sliceMilliseconds / 1000
        listened.schedule.begin(arrivedAt: piece.arrivedAt)
        var start = 0
        var heard = false
        while start < samples.count {
            if case .some(let watermark) = listened.newInterruption() {
                tap.dropInterrupted(watermark: watermark)
                stream.flush()
                listened.schedule.restart(at: .now)
                if ListenQueue.isStale(piece.audio, watermark: watermark) { return }
            }
            let now = ContinuousClock.now
            start += listened.schedule.skip(remaining: samples.count - start, rate: Self.deviceRate, at: now)
            guard start < samples.count else { break }
            if !heard {
                heard = true
                // A piece written ahead of its time (a burst) counts as on time.
                let late = max(.zero, listened.schedule.lateness(at: now))
                let microseconds = Int(late.components.seconds) * 1_000_000 + Int(late.components.attoseconds / 1_000_000_000_000)
                status.withLock { $0.latencies.record(microseconds: microseconds + stream.latencyMicroseconds) }
            }
            let end = min(start + slice, samples.count)
            try stream.write(Array(samples[start..<end]))
            listened.schedule.advance(samples: end - start, rate: Self.deviceRate)
            start = end
        }
        let skipped = listened.schedule.skippedMicroseconds
        status.withLock { $0.skippedMilliseconds = skipped / 1000 }
    }
}
