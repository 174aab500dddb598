import ArgumentParser
import ConsoleCore
import ConvEngine

/// `convtui-bench view`: times the pure ``ConsoleView/render`` of a full screen of busy panes,
/// for `scripts/bench_render_pty.py`.
///
/// Each pane folds a recorded session log (made by `convtui demo --headless`) through the
/// engine's reducer: the first half before timing, then one more event per pane per frame, so
/// every frame has 16 new snapshots with realistic transcripts. The cached case draws the same
/// snapshots again and again, as the render loop does when only the clock moved.
struct BenchViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Time ConsoleView.render of busy panes; prints one JSON line.")

    @Option(help: "Screen width.") var width = 200
    @Option(help: "Screen height.") var height = 60
    @Option(help: "Frames timed in each case.") var frames = 2000
    @Option(help: "Also time the session table over this many sessions (the logs repeated); 0 skips it.")
    var tableSessions = 10_000
    @Argument(help: "Session logs, one pane each.") var logs: [String]

    func validate() throws {
        guard !logs.isEmpty else { throw ValidationError("give at least one session log") }
        guard frames > 0 else { throw ValidationError("--frames must be positive") }
    }

    func run() throws {
        let feeds = try logs.map { path in try PaneFeed(log: SessionLogReader.read(path: path)) }
        let model = AppModel(paneCount: feeds.count, size: ScreenSize(width: width, height: height))
        let chrome = ConsoleView.Chrome(label: "rec /tmp/logs", clock: "12:00:00")
        let keyHelp = Keymap<LiveAction>.live.helpLines
        var states = feeds.map(\.warmState)
        var memo = ConsoleView.Memo()
        var changing: [Double] = []
        for frame in 0..<frames {
            for i in states.indices { states[i].apply(feeds[i].event(frame)) }
            let panes = Self.panes(feeds, states, version: UInt64(frame + 1))
            let started = ContinuousClock.now
            _ = ConsoleView.render(model, panes: panes, chrome: chrome, keyHelp: keyHelp, memo: &memo)
            changing.append(Self.milliseconds(ContinuousClock.now - started))
        }
        let panes = Self.panes(feeds, states, version: UInt64(frames + 1))
        var cached: [Double] = []
        for _ in 0..<frames {
            let started = ContinuousClock.now
            _ = ConsoleView.render(model, panes: panes, chrome: chrome, keyHelp: keyHelp, memo: &memo)
            cached.append(Self.milliseconds(ContinuousClock.now - started))
        }
        let table = tableSessions > 0 ? tableCase(feeds) : []
        let result: JSONValue = .object(
            [
            ("panes", .int(feeds.count)),
            ("width", .int(width)),
            ("height", .int(height)),
            ("frames", .int(frames)),
            ("median_ms", .number(Self.percentile(changing, 50))),
            ("p99_ms", .number(Self.percentile(changing, 99))),
            ("cached_median_ms", .number(Self.percentile(cached, 50))),
            ("cached_p99_ms", .number(Self.percentile(cached, 99))),
            ] + table)
        print(JSONWriter.string(result))
    }

    /// The session table over `tableSessions` sessions (each a log's warm state), 16 of them
    /// taking an event per frame: the frame's time (the rows given, as the render loop keeps
    /// them), and apart from it the time to sort them again (once a second at most).
    private func tableCase(_ feeds: [PaneFeed]) -> [(String, JSONValue)] {
        var model = AppModel(paneCount: tableSessions, size: ScreenSize(width: width, height: height))
        model.showsTable = true
        model.focus = tableSessions / 2
        model.table.sortColumn = SessionColumn.all.firstIndex { $0.title == "NAME" } ?? 0
        let chrome = ConsoleView.Chrome(label: "rec /tmp/logs", clock: "12:00:00")
        var states = (0..<tableSessions).map { feeds[$0 % feeds.count].warmState }
        var panes = Self.panes(feeds, states, version: 1)
        var memo = ConsoleView.Memo()
        var drawing: [Double] = []
        var sorting: [Double] = []
        let timed = min(frames, 500)
        for frame in 0..<timed {
            for k in 0..<16 {
                let i = (frame * 16 + k) * 613 % tableSessions
                states[i].apply(feeds[i % feeds.count].event(frame))
                panes[i] = PaneFrame(
                    snapshot: SessionSnapshot(number: i + 1, name: feeds[i % feeds.count].name, state: states[i], logPath: nil),
                    version: UInt64(frame + 2), now: states[i].lastEventAt)
            }
            var started = ContinuousClock.now
            let rows = SessionTable.rows(panes, settings: model.table)
            sorting.append(Self.milliseconds(ContinuousClock.now - started))
            started = ContinuousClock.now
            _ = ConsoleView.render(model, panes: panes, chrome: chrome, table: rows, memo: &memo)
            drawing.append(Self.milliseconds(ContinuousClock.now - started))
        }
        return [
            ("table_sessions", .int(tableSessions)),
            ("table_median_ms", .number(Self.percentile(drawing, 50))),
            ("table_p99_ms", .number(Self.percentile(drawing, 99))),
            ("table_sort_median_ms", .number(Self.percentile(sorting, 50))),
        ]
    }

    private static func panes(_ feeds: [PaneFeed], _ states: [SessionState], version: UInt64) -> [PaneFrame] {
        states.enumerated().map { i, state in
            PaneFrame(
                snapshot: SessionSnapshot(number: i + 1, name: feeds[i % feeds.count].name, state: state, logPath: nil),
                version: version, now: state.lastEventAt)
        }
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
    }

    /// The `p`-th percentile (0…100) of `values`, by nearest rank.
    private static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

/// One pane's event stream for the view benchmark: a recorded log's events, looped forever
/// with offsets and run numbers shifted on each pass so the reducer keeps accepting them.
private struct PaneFeed {
    let name: String
    let events: [SessionEvent]
    /// The state after the first half of the events; ``event(_:)`` continues from there.
    let warmState: SessionState
    private let span: Int64
    private let runs: Int

    init(log: SessionLog) throws {
        guard !log.events.isEmpty else { throw ValidationError("\(log.path) has no events") }
        name = log.header.sessionName
        events = log.events
        span = (events.last?.offset ?? 0) + 1_000_000
        runs = events.map(\.run).max() ?? 1
        var state = log.header.emptyState()
        for event in events.prefix(events.count / 2) { state.apply(event) }
        warmState = state
    }

    /// The event shown at benchmark frame `frame`.
    func event(_ frame: Int) -> SessionEvent {
        let position = events.count / 2 + frame
        let pass = position / events.count
        let event = events[position % events.count]
        return SessionEvent(offset: event.offset + Int64(pass) * span, run: event.run + pass * runs, kind: event.kind)
    }
}
