import ConsoleCore
import ConvEngine
import Foundation

/// Plays the listened pane's agent audio, user audio or both (mixed) on the sound server, on a
/// thread of its own.
///
/// The transports offer audio to a ``ListenTap`` (never blocking an event loop); this thread
/// takes it, resamples it to ``deviceRate`` and writes it in ``sliceMilliseconds`` slices, one
/// ``ListenTrack`` per side.
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

    func listen(to pane: Int?, hearing: ListenSource) {
        tap.listen(to: pane.flatMap { sessions.indices.contains($0) ? sessions[$0].number : nil }, hearing: hearing)
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
            // Wait for audio only when there is nothing left to play.
            var next = tap.next(within: listened.isEmpty ? .milliseconds(50) : .zero)
            let (number, generation) = tap.listened
            // Another pane (or none): what the server still holds of the last one goes.
            if generation != listened.generation {
                stream.flush()
                listened = Listened(generation: generation, session: sessions.first { $0.number == number })
            }
            while let (piece, queuedFor) = next {
                if queuedFor == generation { listened.add(piece) }
                next = tap.next(within: .zero)
            }
            guard !listened.isEmpty else { continue }
            do {
                try playSlice(on: stream, listened: &listened)
            } catch {
                status.withLock { $0.unavailable = "the sound server stopped (\(error.reason))" }
                return
            }
        }
    }

    /// The listened session, the interruptions already acted on and the audio of each side
    /// waiting to be played.
    private struct Listened {
        let generation: Int
        var session: ConversationSession?
        var interruptions = 0
        var agent = ListenTrack(capacity: ListenPlayer.deviceRate * 60)
        var user = ListenTrack(capacity: ListenPlayer.deviceRate * 60)

        init(generation: Int, session: ConversationSession? = nil) {
            self.generation = generation
            self.session = session
            interruptions = session?.snapshot.state.counters.interruptions ?? 0
        }

        var isEmpty: Bool { agent.isEmpty && user.isEmpty }

        mutating func add(_ piece: ListenQueue.Piece) {
            let samples = Resampler.convert(piece.audio.chunk, to: ListenPlayer.deviceRate).samples
            switch piece.side {
            case .agent: agent.add(piece, samples: samples)
            case .user: user.add(piece, samples: samples)
            }
        }

        /// The session's watermark when it counted an interruption since the last call.
        mutating func newInterruption() -> Int?? {
            guard let state = session?.snapshot.state, state.counters.interruptions != interruptions else { return nil }
            interruptions = state.counters.interruptions
            return .some(state.lastInterruptId)
        }
    }

    /// Writes one slice: the agent's and the user's audio due now, mixed.
    private func playSlice(on stream: PulseStream, listened: inout Listened) throws(SoundUnavailable) {
        if case .some(let watermark) = listened.newInterruption() {
            tap.dropInterrupted(watermark: watermark)
            listened.agent.dropInterrupted(watermark: watermark, at: .now)
            stream.flush()
        }
        let slice = Self.deviceRate * Self.sliceMilliseconds / 1000
        let now = ContinuousClock.now
        let agent = listened.agent.take(slice, rate: Self.deviceRate, at: now)
        let user = listened.user.take(slice, rate: Self.deviceRate, at: now)
        let lateness = agent.lateness + user.lateness
        if !lateness.isEmpty {
            let server = stream.latencyMicroseconds
            status.withLock { status in
                for late in lateness {
                    status.latencies.record(microseconds: Int(late.components.seconds) * 1_000_000 + Int(late.components.attoseconds / 1_000_000_000_000) + server)
                }
            }
        }
        let skipped = listened.agent.schedule.skippedMicroseconds + listened.user.schedule.skippedMicroseconds
        status.withLock { $0.skippedMilliseconds = skipped / 1000 }
        let samples = ListenTrack.mix(agent.samples, user.samples)
        if !samples.isEmpty { try stream.write(samples) }
    }
}
