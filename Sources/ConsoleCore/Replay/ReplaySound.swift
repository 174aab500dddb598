import ConvEngine

/// A replay's saved audio and where its clock stands, for the meters and for the thread that
/// plays the listened pane (`L` in a replay).
///
/// The replay player is the render thread's alone; the driver publishes the clock here after
/// every tick and key (one short lock), and the sound thread reads it and runs the clock on by
/// itself between ticks, so it never waits on the player.
package final class ReplaySound: Sendable {
    /// Each pane's saved audio (nil: none beside its log).
    package let audio: [ReplayAudio?]
    private let shifts: [Int64]
    private let timeMap: ReplayTimeMap
    /// The driver's clock: ``Position/elapsed`` is read on it.
    package let clock: ElapsedClock
    private let position: Locked<Position>

    /// The replay clock as the driver last saw it.
    package struct Position: Sendable, Equatable {
        /// Timeline µs at ``elapsed``.
        var timeline: Int64 = 0
        var elapsed: Duration = .zero
        var speed: Double = 1
        var isPlaying = false
        /// Counts the clock's jumps (a seek, a step to an event): the sound starts again there.
        var jumps = 0
        var frozen: [Bool] = []
    }

    /// Where pane `pane`'s audio stands now.
    package struct PaneTime: Sendable, Equatable {
        /// µs on the pane's log offsets.
        package let offset: Int64
        package let speed: Double
        /// Playing and not frozen: audio is heard.
        package let isMoving: Bool
        package let jumps: Int

        /// Whether audio is heard now: moving, at no more than ``ReplaySound/fastestHeardSpeed``.
        package var isHeard: Bool { isMoving && speed <= ReplaySound.fastestHeardSpeed }
    }

    /// The fastest replay speed whose audio is heard (resampled, so the pitch follows); faster
    /// replays are silent.
    package static var fastestHeardSpeed: Double { 2 }

    /// The sound of `player`'s panes; nil when no pane has saved audio.
    ///
    /// - Parameters:
    ///   - audio: each pane's saved audio, in pane order (``ReplayAudio/load(logPath:)``).
    ///   - clock: the replay's clock (the driver runs on it).
    package convenience init?(player: ReplayPlayer, audio: [ReplayAudio?], clock: ElapsedClock = ElapsedClock()) {
        guard audio.count == player.panes.count, audio.contains(where: { $0 != nil }) else { return nil }
        self.init(audio: audio, shifts: player.panes.map(\.shift), timeMap: player.timeMap, clock: clock)
    }

    private init(audio: [ReplayAudio?], shifts: [Int64], timeMap: ReplayTimeMap, clock: ElapsedClock) {
        self.audio = audio
        self.shifts = shifts
        self.timeMap = timeMap
        self.clock = clock
        position = Locked(Position(frozen: Array(repeating: false, count: audio.count)))
    }

    /// Records the replay clock at `elapsed`; `jumped` when it moved other than by playing.
    func publish(_ replayClock: ReplayClock, at elapsed: Duration, jumped: Bool, frozen: [Bool]) {
        position.withLock { p in
            p.timeline = replayClock.position
            p.elapsed = elapsed
            p.speed = replayClock.speed
            p.isPlaying = replayClock.isPlaying
            if jumped { p.jumps += 1 }
            if p.frozen != frozen { p.frozen = frozen }
        }
    }

    /// Where pane `pane` stands at `elapsed` on ``clock``: the published position, run on at
    /// the replay's speed while it plays (the clock itself stops at the timeline's end).
    package func time(pane: Int, at elapsed: Duration) -> PaneTime {
        let p = position.withLock { $0 }
        var timeline = p.timeline
        if p.isPlaying {
            let ran = Double((elapsed - p.elapsed) / .microseconds(1)) * p.speed
            timeline = min(timeMap.total, timeline + Int64(max(0, ran)))
        }
        let frozen = p.frozen.indices.contains(pane) && p.frozen[pane]
        return PaneTime(
            offset: timeMap.log(fromTimeline: timeline) - shifts[pane], speed: p.speed,
            isMoving: p.isPlaying && !frozen && timeline < timeMap.total, jumps: p.jumps)
    }

    /// Each pane's levels at the published position, as the live meters showed them; nil for
    /// a pane with no saved audio, and nothing for a frozen pane.
    func levels(at timeline: Int64, frozen: [Bool]) -> [LevelMeters.Reading?] {
        let log = timeMap.log(fromTimeline: timeline)
        return audio.indices.map { pane in
            audio[pane].map { frozen[pane] ? LevelMeters.Reading() : $0.levels(at: log - shifts[pane]) }
        }
    }
}
