import ConsoleCore
import ConvEngine
import Synchronization

/// The console's one loop, on the one thread that owns curses.
///
/// Each tick it reads the panes' ``ChangeSignal`` and, only when it moved, every pane's
/// snapshot version, taking the snapshots that moved; then it draws if anything changed (a
/// snapshot, a key, a resize, a report, or the clock's second); otherwise it does nothing until
/// the next key or the timeout. A draw makes again only the
/// pane frames that can have changed (``PaneFrameCache``), so ten thousand ended sessions cost
/// next to nothing between keys. Keys go through the pure ``ConsoleUpdate``; the commands it
/// returns go to the driver.
final class RenderLoop<Driver: ConsoleDriver> {
    /// How long a tick waits for a key: bounds how stale a pane can look. A key is drawn at
    /// once; data is drawn at most 10 times a second, which reads as live streaming text and,
    /// by drawing a pane's new words together, costs a fifth less than 20 (docs/benchmarks.md).
    static var tickMilliseconds: Int32 { 100 }

    private let driver: Driver
    private let terminal: Terminal
    private let stop: StopSignal
    /// Messages from commands that finish later (a refused send).
    private let reports = SnapshotChannel<String?>(nil)

    init(driver: Driver, terminal: Terminal, stop: StopSignal) {
        self.driver = driver
        self.terminal = terminal
        self.stop = stop
    }

    /// Runs until the operator quits or `stop` is raised.
    func run() {
        let count = driver.paneCount
        let channels = (0..<count).map { driver.snapshots(pane: $0) }
        var versions = [UInt64](repeating: 0, count: count)
        var snapshots = channels.map { $0.read().value }
        var frames = PaneFrameCache()
        var fleetStale = true
        var reportVersion = reports.version
        let notices = driver.notices
        var noticeVersion = notices?.version ?? 0
        var model = AppModel(paneCount: count, size: terminal.size)
        var memo = ConsoleView.Memo()
        var focused = PaneView.Metrics()
        var shownSecond = -1
        var figures = FigureThrottle()
        var tableRows = TableRowsThrottle()
        var rows: [Int] = []
        var tableViewport = 0
        var matches: [Int] = []
        var fleet = FleetFigures()
        let bell = driver.ringsBellOnAlert
        var alertsRaised = snapshots.reduce(0) { $0 + $1.state.alertsRaised }
        var dirty = true
        let reports = reports
        let report: @Sendable (String) -> Void = { reports.publish($0) }
        let keymap = driver.keymap
        let keyHelp = keymap.helpLines
        let noInputs = ConsoleContext()
        let listening = driver.listening
        var listenedPane: Int?
        var listenedSource = ListenSource.agent
        let talking = driver.talking
        var talkReportVersion = talking?.reports.version ?? 0
        var talkRequest: TalkRequest?
        // The sound side follows the model's talk, whatever changed it (a key, a report).
        func requestTalk() {
            if model.talk.request != talkRequest {
                talkRequest = model.talk.request
                talking?.talk(talkRequest)
            }
        }
        var levels = driver.levelReadings()
        let changes = driver.changes
        var changesSeen: UInt64?

        while model.isRunning, !stop.isRaised {
            if driver.tick() { dirty = true }
            // Read before the channels: a publish it does not show yet is seen next tick.
            let changeCount = changes?.value
            let anyMoved = changeCount == nil || changeCount != changesSeen
            changesSeen = changeCount
            for i in 0..<count where anyMoved && channels[i].hasMoved(since: versions[i]) {
                if let (version, snapshot) = channels[i].read(ifNewerThan: versions[i]) {
                    versions[i] = version
                    snapshots[i] = snapshot
                    frames.moved(i)
                    tableRows.dataChanged()
                    dirty = true
                }
            }
            if let (version, message) = reports.read(ifNewerThan: reportVersion) {
                reportVersion = version
                model = ConsoleUpdate.update(model, message.map(ConsoleInput.refused) ?? .report(nil), context: noInputs, keymap: keymap).0
                dirty = true
            }
            if model.isListening, let reason = listening?.unavailableReason {
                // The sound server went away while listening: say so, stop listening.
                model.isListening = false
                model = ConsoleUpdate.update(model, .report("listening stopped: \(reason)"), context: noInputs, keymap: keymap).0
                dirty = true
            }
            if let talking, let (version, report) = talking.reports.read(ifNewerThan: talkReportVersion) {
                talkReportVersion = version
                if let report {
                    model = ConsoleUpdate.update(model, .talk(report), context: noInputs, keymap: keymap).0
                    dirty = true
                }
            }
            if let (version, message) = notices?.read(ifNewerThan: noticeVersion) {
                noticeVersion = version
                model = ConsoleUpdate.update(model, .report(message), context: noInputs, keymap: keymap).0
                dirty = true
            }
            // A report can end a talk, a refusal can move the focus.
            requestTalk()
            // Meters move while anyone speaks: redrawn every tick then, not otherwise.
            if let now = driver.levelReadings(), now != levels {
                for pane in now.indices where levels.map({ $0.indices.contains(pane) && $0[pane] == now[pane] }) != true {
                    frames.moved(pane)
                }
                levels = now
                dirty = true
            }
            let second = StatusClock.second()
            if second != shownSecond || dirty {
                let newSecond = second != shownSecond
                if frames.hasMoved { fleetStale = true }
                // Merging every session's histogram is the costly part: at most once a second, and only after a change.
                if newSecond, fleetStale {
                    fleet = FleetFigures(snapshots)
                    fleetStale = false
                }
                if bell, frames.hasMoved {
                    let raised = snapshots.reduce(0) { $0 + $1.state.alertsRaised }
                    if raised > alertsRaised { terminal.bell() }
                    alertsRaised = raised
                }
                shownSecond = second
                frames.update(versions: versions, newSecond: newSecond, isActive: { snapshots[$0].state.phase.isActive }) { pane in
                    PaneFrame(
                        snapshot: snapshots[pane], version: versions[pane],
                        figures: figures.figures(pane: pane, state: snapshots[pane].state, second: second) { driver.currentOffset(pane: pane) },
                        isFrozen: driver.isFrozen(pane: pane), frozenMarker: driver.frozenMarker, answersCalls: driver.answersCalls, note: driver.note(pane: pane),
                        levels: levels?[pane] ?? nil)
                }
                let panes = frames.frames
                let chrome = ConsoleView.Chrome(
                    label: driver.statusLabel + (model.isListening ? " · listening to \(model.focus + 1) (\(model.listenSource.label))" : "")
                        + (model.talk.talkingPane.map { " · talking into \($0 + 1)" } ?? ""),
                    clock: StatusClock.text(second: second),
                    extraBar: driver.extraBar(width: model.size.width), isReplay: !driver.answersCalls, fleet: fleet)
                rows = model.showsTable ? tableRows.rows(panes, settings: model.table, second: second) : []
                let frame = ConsoleView.render(model, panes: panes, chrome: chrome, keyHelp: keyHelp, table: rows, memo: &memo)
                terminal.draw(frame)
                focused = frame.focused
                tableViewport = frame.tableViewport
                matches = frame.matches
                dirty = false
            }
            // Keys are still read between bursts of work left (each bounded), just not waited for.
            let wait = driver.hasWorkLeft ? 0 : Self.tickMilliseconds
            guard let input = terminal.readInput(timeoutMilliseconds: wait) else { continue }
            let focusedEvents = snapshots[model.focus].state.recentEvents
            let context = ConsoleContext(
                activeSessions: driver.confirmsQuit ? snapshots.filter { $0.state.phase.isActive }.count : 0,
                focusedLines: focused.lines, focusedViewport: focused.viewport,
                focusedEventTypes: model.inspector.typeChoices(focusedEvents),
                tableRows: rows, tableViewport: tableViewport, focusedMatches: matches, paneNames: snapshots.map(\.name),
                inspectorEvents: model.showsInspector ? model.inspector.shown(focusedEvents) : [],
                listenUnavailable: listening.map { $0.unavailableReason } ?? driver.noAudioReason,
                talkUnavailable: talking == nil ? "this console sends no audio" : nil
            ).alerting(snapshots.indices.filter { !snapshots[$0].state.alerts.isEmpty })
            let (next, commands) = ConsoleUpdate.update(model, input, context: context, keymap: keymap)
            if next.repaints != model.repaints { terminal.repaintAll() }
            model = next
            for command in commands {
                driver.perform(command, report: report)
                if let pane = driver.focus(after: command) {
                    model = ConsoleUpdate.update(model, .focus(pane), context: noInputs, keymap: keymap).0
                }
            }
            requestTalk()
            let wanted = model.isListening ? model.focus : nil
            if wanted != listenedPane || model.listenSource != listenedSource {
                listening?.listen(to: wanted, hearing: model.listenSource)
                listenedPane = wanted
                listenedSource = model.listenSource
            }
            figures.refreshAll()
            frames.remakeAllFrames()
            dirty = true
        }
        // Quitting stops a talk the way T does.
        if talkRequest != nil { talking?.talk(nil) }
    }
}

/// A flag another thread raises to end the render loop (a signal, a time limit), with the
/// reason the first raise gave.
final class StopSignal: Sendable {
    private let raised = Mutex<StopReason?>(nil)

    func raise(_ reason: StopReason) {
        raised.withLock { if $0 == nil { $0 = reason } }
    }

    var reason: StopReason? { raised.withLock { $0 } }
    var isRaised: Bool { reason != nil }
}
