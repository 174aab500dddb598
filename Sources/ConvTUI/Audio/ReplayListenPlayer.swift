import ConsoleCore
import ConvEngine
import Foundation

/// Plays a replay's listened pane: its saved audio (`--save-audio`), in step with the replay
/// clock, on the sound server, on a thread of its own (`L` and `H` in `convtui replay`).
///
/// Every 20 ms slice is rendered from where the replay stands (``ReplaySound/time(pane:at:)``):
/// the agent's audio, the user's or both, mixed, as each was heard live
/// (``ReplayAudioTrack``). A seek, a step or a jump of more than ``resyncMilliseconds`` starts
/// the sound again at the new place (the server's buffer flushed); a pause, a frozen pane or
/// the timeline's end stops it. Up to ``ReplaySound/fastestHeardSpeed`` the audio plays at the
/// replay's speed (resampled, so the pitch follows); faster than that it is silent.
final class ReplayListenPlayer: ListenControl {
    /// How far the sound may drift from the replay clock before it starts again where the clock is.
    static var resyncMilliseconds: Int64 { 200 }

    private let sound: ReplaySound
    private let server: String?
    private let device: String?
    private let state = Locked(State())

    private struct State {
        var unavailable: String? = "looking for a sound server"
        var stopped = false
        var pane: Int?
        var hearing = ListenSource.agent
        var generation = 0
    }

    /// - Parameters:
    ///   - server: a PulseAudio server address; nil for the user's default.
    ///   - device: the sink to play to; nil for the server's default.
    init(sound: ReplaySound, server: String? = nil, device: String? = nil) {
        self.sound = sound
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
        state.withLock { $0.stopped = true }
    }

    func listen(to pane: Int?, hearing: ListenSource) {
        state.withLock { s in
            guard s.pane != pane || s.hearing != hearing else { return }
            s.pane = pane
            s.hearing = hearing
            s.generation += 1
        }
    }

    var unavailableReason: String? { state.withLock { $0.unavailable } }

    /// The listened pane's tracks of the chosen sides, with their samples.
    private struct Listened {
        var generation = -1
        var pane: Int?
        var tracks: [(track: ReplayAudioTrack, samples: [Int16])] = []
        /// Log µs of the next sample to write; nil when the sound is stopped.
        var cursor: Int64?
        var jumps = 0
    }

    private func run() {
        let stream: PulseStream
        do {
            stream = try PulseStream(
                .playback, sampleRate: ListenPlayer.deviceRate, bufferMilliseconds: ListenPlayer.bufferMilliseconds, name: "replay",
                server: server, device: device)
        } catch {
            state.withLock { $0.unavailable = "no sound server (\(error.reason))" }
            return
        }
        state.withLock { $0.unavailable = nil }
        var listened = Listened()
        let sliceMicroseconds = Int64(ListenPlayer.sliceMilliseconds) * 1000
        while true {
            let s = state.withLock { $0 }
            guard !s.stopped else { return }
            if s.generation != listened.generation {
                stream.flush()
                listened = load(pane: s.pane, hearing: s.hearing, generation: s.generation)
            }
            guard let pane = listened.pane, !listened.tracks.isEmpty else {
                Thread.sleep(forTimeInterval: 0.02)
                continue
            }
            let now = sound.time(pane: pane, at: sound.clock.elapsed)
            guard now.isHeard else {
                if listened.cursor != nil { stream.flush() }
                listened.cursor = nil
                Thread.sleep(forTimeInterval: 0.02)
                continue
            }
            let drift = listened.cursor.map { abs($0 - now.offset) } ?? .max
            if now.jumps != listened.jumps || drift > Int64(Double(Self.resyncMilliseconds * 1000) * now.speed) {
                if listened.cursor != nil { stream.flush() }
                listened.cursor = now.offset
                listened.jumps = now.jumps
            }
            let from = listened.cursor ?? now.offset
            let count = ListenPlayer.deviceRate * ListenPlayer.sliceMilliseconds / 1000
            let slices = listened.tracks.map { $0.track.render($0.samples, from: from, count: count, rate: ListenPlayer.deviceRate, speed: now.speed) }
            do {
                try stream.write(slices.dropFirst().reduce(slices[0], ListenTrack.mix))
            } catch {
                state.withLock { $0.unavailable = "the sound server stopped (\(error.reason))" }
                return
            }
            listened.cursor = from + Int64(Double(sliceMicroseconds) * now.speed)
        }
    }

    private func load(pane: Int?, hearing: ListenSource, generation: Int) -> Listened {
        var listened = Listened(generation: generation, pane: pane)
        guard let pane, sound.audio.indices.contains(pane), let audio = sound.audio[pane] else { return listened }
        let sides: [LevelMeters.Side] = switch hearing {
        case .agent: [.agent]
        case .user: [.user]
        case .both: [.agent, .user]
        }
        for side in sides {
            if let track = audio.track(side), let samples = try? audio.samples(of: side) {
                listened.tracks.append((track, samples))
            }
        }
        return listened
    }
}
