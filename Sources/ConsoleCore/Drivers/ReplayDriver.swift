import ConvEngine

/// Drives the console from recorded sessions: one pane per log, all on one replay clock.
///
/// The player is not thread-safe and lives behind this driver's lock; the render thread is
/// its only user (ticks and keys), so the lock is never contended and costs one uncontended
/// acquire per call. Panes read their snapshots straight from the player's channels.
package final class ReplayDriver: ConsoleDriver {
    private let channels: [SnapshotChannel<SessionSnapshot>]
    package let changes: ChangeSignal?
    /// Per pane, what indexing its log skipped, if anything.
    private let notes: [String?]
    private let player: Locked<Playback>
    /// What a tick moves the replay clock by the passing of (times its speed).
    private let clock: ElapsedClock
    private let label: String
    /// The panes' saved audio, for the meters and listening in; nil when no log has any.
    private let sound: ReplaySound?
    package let listening: (any ListenControl)?

    private struct Playback {
        let player: ReplayPlayer
        var lastTick: Duration
    }

    /// Plays `player` from its start, as fast as `clock` goes. A player with a
    /// ``ReplayPlayer/catchUpBudget`` catches up on ticks, also while paused.
    ///
    /// - Parameters:
    ///   - sound: the panes' saved audio (made with ``ReplaySound/init(player:audio:clock:)``);
    ///     its clock is then the replay's.
    ///   - listening: plays the listened pane's saved audio (`L`).
    package init(
        player: sending ReplayPlayer, alignment: ReplayAlignment, sound: ReplaySound? = nil, listening: (any ListenControl)? = nil,
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        channels = player.panes.map(\.snapshots)
        changes = player.changes
        notes = player.panes.map { pane in Self.note(pane.index) }
        let count = player.panes.count
        label = "replay · \(count) log\(count == 1 ? "" : "s") · aligned by \(alignment == .start ? "start" : "wall clock")"
        player.play()
        self.clock = sound?.clock ?? ElapsedClock(clock)
        self.sound = sound
        self.listening = listening
        sound?.publish(player.clock, at: self.clock.elapsed, jumped: true, frozen: player.panes.map(\.isFrozen))
        self.player = Locked(Playback(player: player, lastTick: .zero))
    }

    /// How long one tick of the console may spend moving panes to a new position: a far seek
    /// over thousands of logs moves them over several ticks, not in one that holds the screen.
    package static let catchUpBudget = Duration.milliseconds(40)

    package var paneCount: Int { channels.count }

    package var hasWorkLeft: Bool { player.withLock { $0.player.panesBehind > 0 } }

    package var statusLabel: String {
        let behind = player.withLock { $0.player.panesBehind }
        return behind > 0 ? label + " · catching up: \(behind) panes" : label
    }

    package func snapshots(pane: Int) -> SnapshotChannel<SessionSnapshot> { channels[pane] }

    /// The pane's own log time at the clock's position, so a replayed run's elapsed time reads
    /// as it did live.
    package func currentOffset(pane: Int) -> Int64 {
        player.withLock { p in
            let replay = p.player
            return replay.timeMap.log(fromTimeline: replay.clock.position) - replay.panes[pane].shift
        }
    }

    package func tick() -> Bool {
        player.withLock { p in
            let now = clock.elapsed
            defer { p.lastTick = now }
            guard p.player.clock.isPlaying else { return p.player.catchUp() }
            p.player.advance(by: now - p.lastTick)
            publish(p.player, at: now, jumped: false)
            return true
        }
    }

    /// Tells the sound side where the clock is (only when some log has saved audio).
    private func publish(_ replay: ReplayPlayer, at elapsed: Duration, jumped: Bool) {
        sound?.publish(replay.clock, at: elapsed, jumped: jumped, frozen: replay.panes.map(\.isFrozen))
    }

    package func levelReadings() -> [LevelMeters.Reading?]? {
        guard let sound else { return nil }
        return player.withLock { p in sound.levels(at: p.player.clock.position, frozen: p.player.panes.map(\.isFrozen)) }
    }

    package func extraBar(width: Int) -> [[StyledRun]] {
        TimelineBar.rows(player.withLock { $0.player.timeline }, width: width)
    }

    package func isFrozen(pane: Int) -> Bool {
        player.withLock { $0.player.panes[pane].isFrozen }
    }

    package var noAudioReason: String { "these logs have no saved audio (record them with --save-audio)" }

    package var confirmsQuit: Bool { false }
    package var answersCalls: Bool { false }

    package var keymap: Keymap<ReplayAction> { .replay }

    package func perform(_ command: ReplayCommand, report: @escaping @Sendable (String) -> Void) {
        player.withLock { p in
            let replay = p.player
            switch command {
            case .freeze(let pane): replay.setFrozen(true, pane: pane)
            case .resume(let pane): replay.setFrozen(false, pane: pane)
            case .freezeAll: for pane in replay.panes.indices { replay.setFrozen(true, pane: pane) }
            case .resumeAll: for pane in replay.panes.indices { replay.setFrozen(false, pane: pane) }
            case .togglePlay: replay.togglePlaying()
            case .faster: replay.faster()
            case .slower: replay.slower()
            case .seek(let seconds): replay.seek(by: .seconds(seconds))
            case .previousEvent(let pane): replay.previousEvent(pane: pane)
            case .nextEvent(let pane): replay.nextEvent(pane: pane)
            case .previousMark: replay.previousMark()
            case .nextMark: replay.nextMark()
            case .previousOperatorMark: replay.previousMark(operatorMarks: true)
            case .nextOperatorMark: replay.nextMark(operatorMarks: true)
            case .toStart: replay.goToStart()
            case .toEnd: replay.goToEnd()
            case .goTo(let micros): replay.seek(to: micros)
            }
            let jumped = ![.togglePlay, .faster, .slower].contains(command)
            publish(replay, at: clock.elapsed, jumped: jumped)
        }
    }

    package func note(pane: Int) -> String? { notes[pane] }

    /// `N lines skipped`, saying whether the last was torn, for a log with line problems.
    static func note(_ index: ReplayIndex?) -> String? {
        guard let index, index.problemCount > 0 else { return nil }
        let count = index.problemCount
        return "\(count) log line\(count == 1 ? "" : "s") skipped" + (index.hasTornTail ? " (the last one torn)" : "") + " · log check tells which"
    }

    /// After a step to an interruption, error or operator mark, the pane it happened in.
    package func focus(after command: ReplayCommand) -> Int? {
        guard [.nextMark, .previousMark, .nextOperatorMark, .previousOperatorMark].contains(command) else { return nil }
        return player.withLock { p in
            let replay = p.player
            let position = replay.clock.position
            return replay.marks.first { $0.time == position }.map { $0.pane - 1 }
        }
    }

    package func shutdown(reason: String) async {}

    package var farewell: String? { nil }
}
