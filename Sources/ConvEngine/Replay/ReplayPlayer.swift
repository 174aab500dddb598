/// Replays several session logs side by side, all driven by one ``ReplayClock``.
///
/// Each log gets a ``ReplayPane`` whose ``SnapshotChannel`` carries the same
/// ``SessionSnapshot`` a live session publishes, so the console draws replayed and live panes
/// with the same views. After every clock change the player works out, for each pane, how many
/// of its events lie at or before the clock's position and moves that pane's reducer there
/// (exactly: see ``ReplayCursor``); a pane publishes only when its state moved.
///
/// Opening a log indexes it (fast, see ``ReplayIndex``); a background thread then folds each log
/// once to record its reducer checkpoints, after which a seek anywhere folds at most a
/// checkpoint stride of events. Until then a far seek folds from the nearest checkpoint known.
///
/// Not thread-safe: owned by one thread (the render loop), which calls ``advance(by:)`` on
/// every tick and the control methods on keys. The channels may be read from anywhere.
public final class ReplayPlayer {
    public let panes: [ReplayPane]
    /// Moves whenever any pane publishes.
    public let changes: ChangeSignal
    public let alignment: ReplayAlignment
    public let timeMap: ReplayTimeMap
    public private(set) var clock: ReplayClock
    /// Every interruption and error of every pane, sorted by timeline time.
    public let marks: [ReplayMark]
    private let checkpointPass: ReplayCheckpointPass?
    /// How long one call may spend moving panes to a new position; panes left behind move in
    /// later calls (``catchUp()``, ``advance(by:)``). Nil (the default): every pane moves at once,
    /// as a one-shot replay wants. The console sets it, so that a far seek over thousands of logs
    /// never holds the screen: the panes catch up over a few ticks and keys keep answering.
    public var catchUpBudget: Duration?
    /// Panes not yet moved to the clock's position, and the pane to move next (round robin, so
    /// that a clock that keeps moving still reaches every pane).
    public private(set) var panesBehind = 0
    private var nextPane = 0

    /// Opens and indexes each log (a log that cannot be read becomes a failed pane) and shows
    /// every pane at time 0, paused.
    /// - Parameters:
    ///   - idleLimit: silences longer than this are shortened to it (see ``ReplayTimeMap``).
    ///   - prepareCheckpoints: fold each log once in the background so later seeks are short
    ///     (off for a one-shot headless replay, which folds once anyway).
    public init(
        paths: [String], alignment: ReplayAlignment = .wallClock, idleLimit: Duration? = nil, speed: Double = 1,
        prepareCheckpoints: Bool = true
    ) {
        let opened = paths.map { path in
            Result { () throws(LogFormatError) -> ReplayCursor in try ReplayCursor(index: try ReplayIndex.build(path: path)) }
        }
        let cursors = opened.map { try? $0.get() }
        let shifts = alignment.shifts(startedAt: cursors.map { $0?.index.header.startedAtMicros })
        let changes = ChangeSignal()
        panes = zip(paths, opened).enumerated().map { number, pair in
            ReplayPane(number: number + 1, path: pair.0, opened: pair.1, shift: shifts[number] ?? 0, changes: changes)
        }
        self.changes = changes
        self.alignment = alignment
        let readable = panes.compactMap { pane in pane.index.map { (times: $0.times, shift: pane.shift) } }
        timeMap = ReplayTimeMap(logs: readable, idleLimit: idleLimit.map(Self.micros))
        clock = ReplayClock(total: timeMap.total, speed: speed)
        var marks: [ReplayMark] = []
        for pane in panes {
            guard let index = pane.index else { continue }
            for (i, flags) in index.flags.enumerated() where !flags.isDisjoint(with: .marked) {
                let time = timeMap.timeline(fromLog: pane.shift + index.times[i])
                marks.append(ReplayMark(time: time, pane: pane.number, kind: Self.markKind(flags)))
            }
        }
        self.marks = marks.sorted { ($0.time, $0.pane) < ($1.time, $1.pane) }
        let work = cursors.compactMap { $0.map { ($0.index, $0.checkpoints) } }
        checkpointPass = prepareCheckpoints && !work.isEmpty ? ReplayCheckpointPass(work) : nil
        syncPanes()
    }

    deinit {
        checkpointPass?.cancel()
    }

    /// The timeline mark of a marked event: an error first, then an alert, then an operator mark.
    private static func markKind(_ flags: ReplayEventFlags) -> ReplayMark.Kind {
        flags.contains(.error) ? .error : flags.contains(.alert) ? .alert : flags.contains(.operatorMark) ? .operatorMark : .interruption
    }

    /// Whether every log's checkpoints are recorded (seeks are short from now on).
    public var checkpointsReady: Bool {
        panes.allSatisfy { $0.cursor?.checkpoints.isComplete ?? true }
    }

    /// What a timeline bar shows now.
    public var timeline: ReplayTimeline {
        ReplayTimeline(total: clock.total, position: clock.position, isPlaying: clock.isPlaying, speed: clock.speed, marks: marks)
    }

    /// The pane at `index` (0-based), if there is one.
    public func pane(_ index: Int) -> ReplayPane? {
        panes.indices.contains(index) ? panes[index] : nil
    }

    // MARK: Clock

    /// Lets real time pass (call on every render tick).
    public func advance(by elapsed: Duration) {
        change { $0.advance(byMicros: Self.micros(elapsed)) }
    }

    public func play() { change { $0.play() } }
    public func pause() { change { $0.pause() } }
    public func togglePlaying() { change { $0.togglePlaying() } }
    public func faster() { change { $0.faster() } }
    public func slower() { change { $0.slower() } }

    /// Goes to timeline time `time` µs (clamped).
    public func seek(to time: Int64) { change { $0.seek(to: time) } }
    /// Moves by `delta` on the timeline (negative: back).
    public func seek(by delta: Duration) { change { $0.seek(by: Self.micros(delta)) } }
    public func goToStart() { seek(to: 0) }
    public func goToEnd() { seek(to: clock.total) }

    // MARK: Navigation

    /// Goes to the next event of the pane at `index` (0-based) after the current position.
    public func nextEvent(pane index: Int) {
        guard let pane = self.pane(index), let index = pane.index else { return }
        let i = firstEvent(of: pane) { $0 > clock.position }
        if i < index.eventCount { seek(to: timelineTime(of: i, in: pane)) }
    }

    /// Goes to the last event of the pane at `index` (0-based) before the current position.
    public func previousEvent(pane index: Int) {
        guard let pane = self.pane(index) else { return }
        let i = firstEvent(of: pane) { $0 >= clock.position }
        if i > 0 { seek(to: timelineTime(of: i - 1, in: pane)) }
    }

    /// Goes to the next interruption, error or alert in any pane; with `operatorMarks`, to the
    /// next operator mark instead.
    public func nextMark(operatorMarks: Bool = false) {
        let position = clock.position
        if let mark = marks.first(where: { $0.time > position && ($0.kind == .operatorMark) == operatorMarks }) { seek(to: mark.time) }
    }

    /// Goes to the previous interruption, error or alert in any pane; with `operatorMarks`, to
    /// the previous operator mark instead.
    public func previousMark(operatorMarks: Bool = false) {
        let position = clock.position
        if let mark = marks.last(where: { $0.time < position && ($0.kind == .operatorMark) == operatorMarks }) { seek(to: mark.time) }
    }

    // MARK: Panes

    /// Freezes the pane at `index` (0-based; it keeps its snapshot while the clock moves) or
    /// resumes it (it catches up with the clock at once).
    public func setFrozen(_ frozen: Bool, pane index: Int) {
        guard let pane = self.pane(index) else { return }
        pane.isFrozen = frozen
        if !frozen { sync(pane) }
    }

    // MARK: Internals

    private func change(_ body: (inout ReplayClock) -> Void) {
        let before = clock.position
        body(&clock)
        if clock.position != before { syncPanes() }
    }

    private func syncPanes() {
        panesBehind = panes.count
        catchUp()
    }

    /// Moves panes a seek left behind to the clock's position, for at most ``catchUpBudget``
    /// (at least one pane); true if any moved.
    @discardableResult
    public func catchUp() -> Bool {
        guard panesBehind > 0 else { return false }
        let deadline = catchUpBudget.map { ContinuousClock.now + $0 }
        repeat {
            sync(panes[nextPane])
            nextPane = (nextPane + 1) % panes.count
            panesBehind -= 1
        } while panesBehind > 0 && deadline.map({ ContinuousClock.now < $0 }) ?? true
        return true
    }

    private func sync(_ pane: ReplayPane) {
        guard let index = pane.index else { return }
        let logTime = timeMap.log(fromTimeline: clock.position) - pane.shift
        pane.show(eventCount: logTime < 0 ? 0 : index.eventCount(atOrBefore: logTime))
    }

    private func timelineTime(of event: Int, in pane: ReplayPane) -> Int64 {
        timeMap.timeline(fromLog: pane.shift + pane.index!.times[event])
    }

    /// The first event of `pane` whose timeline time satisfies `holds` (which must hold for a
    /// suffix of the events, as timeline time never decreases), or the event count.
    private func firstEvent(of pane: ReplayPane, where holds: (Int64) -> Bool) -> Int {
        var low = 0
        var high = pane.index?.eventCount ?? 0
        while low < high {
            let mid = (low + high) / 2
            if holds(timelineTime(of: mid, in: pane)) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    static func micros(_ duration: Duration) -> Int64 {
        let parts = duration.components
        return parts.seconds * 1_000_000 + parts.attoseconds / 1_000_000_000_000
    }
}
