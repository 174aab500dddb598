import ConvEngine

/// The console's pure view: model, pane data and chrome in, a cell buffer out.
///
/// Apart from the ``TranscriptLines`` memo it is handed (which only saves re-wrapping), the
/// result depends on nothing but its arguments, which is what the view tests rely on.
package enum ConsoleView {
    /// Things on screen that are neither the model nor a pane.
    package struct Chrome: Sendable {
        /// The driver's status-bar label (where logs go).
        package var label = ""
        /// The wall clock, as the status bar shows it.
        package var clock = ""
        /// An optional bar above the status bar (a replay timeline), one run list per row.
        package var extraBar: [[StyledRun]] = []
        /// A replay (its hints name the clock's keys).
        package var isReplay = false
        /// The fleet's latencies and trouble, for the status bar.
        package var fleet = FleetFigures()

        package init(
            label: String = "", clock: String = "", extraBar: [[StyledRun]] = [], isReplay: Bool = false,
            fleet: FleetFigures = FleetFigures()
        ) {
            self.label = label
            self.clock = clock
            self.extraBar = extraBar
            self.isReplay = isReplay
            self.fleet = fleet
        }
    }

    /// A drawn frame and what the runtime needs to know about it.
    package struct Frame: Sendable {
        package var buffer: CellBuffer
        /// Where the terminal cursor goes (while typing), else hidden.
        package var cursor: (x: Int, y: Int)?
        /// The focused pane's transcript measures, for scrolling.
        package var focused = PaneView.Metrics()
        /// The only regions that can differ from the previous frame drawn with the same memo;
        /// nil when any cell can (the first frame, a new layout, a key).
        package var damage: [Rect]?
        /// How many session rows the table shows (0 without the table).
        package var tableViewport = 0
        /// The focused pane's transcript lines that match the search.
        package var matches: [Int] = []
    }

    /// What the view keeps between frames to save work: wrapped transcripts, and the last
    /// frame with what each pane was drawn from, so that a pane whose inputs did not change is
    /// not drawn again. It never changes what a frame looks like, only what it costs.
    package struct Memo: Sendable {
        package var transcript = TranscriptLines()
        fileprivate var last: LastFrame?
        fileprivate var hits: SearchHits?

        package init() {}
    }

    fileprivate struct LastFrame: Sendable {
        let model: AppModel
        let layout: ConsoleLayout
        var buffer: CellBuffer
        var panes: [Int: PaneView.Drawn]
        /// The version of the snapshot the inspector shows, if it is open.
        var inspected: UInt64?
        var status: StatusInputs
    }

    /// The lines of one pane's transcript that match a search, kept until either changes.
    fileprivate struct SearchHits: Sendable {
        let pane: Int
        let revision: Int
        let source: String
        let lines: [Int]
    }

    /// What the status bar shows besides the model and the layout.
    fileprivate struct StatusInputs: Equatable, Sendable {
        let phaseCounts: [String: Int]
        let fleet: FleetFigures
        let label: String
        let clock: String
        let isReplay: Bool
    }

    package static func render(
        _ model: AppModel, panes: [PaneFrame], chrome: Chrome, keyHelp: [KeyHelpLine] = Keymap<LiveAction>.live.helpLines,
        table: [Int] = [], memo: inout Memo
    ) -> Frame {
        let layout = ConsoleLayout(model: model, extraBarHeight: chrome.extraBar.count)
        var previous = memo.last.take()
        if layout.isTooSmall {
            var buffer = CellBuffer(width: model.size.width, height: model.size.height)
            drawTooSmall(model.size, into: &buffer)
            return Frame(buffer: buffer)
        }
        // With the same model and layout, only panes' data and the chrome can have changed:
        // start from the last frame and redraw just those. The help overlay covers the panes,
        // so it is always drawn in full; so is the alert list.
        if let last = previous, last.model != model || last.layout != layout || model.mode.isOverlay {
            previous = nil
        }
        var frame = Frame(buffer: CellBuffer(width: 0, height: 0))
        if previous != nil {
            // Moved out, not copied: the frame must hold the only reference to its cells, or
            // its first write would copy the whole screen.
            swap(&frame.buffer, &previous!.buffer)
        } else {
            frame.buffer = CellBuffer(width: model.size.width, height: model.size.height)
        }
        var damage: [Rect] = []
        var drawn: [Int: PaneView.Drawn] = [:]
        let search = model.search?.matcher()
        for placed in layout.panes where panes.indices.contains(placed.index) {
            let focused = placed.index == model.focus
            let (pane, damaged) = PaneView.draw(
                panes[placed.index], index: placed.index, in: placed.rect, focused: focused,
                scrollTop: model.scrollTop[placed.index], over: previous?.panes[placed.index], search: search,
                into: &frame.buffer, transcript: &memo.transcript)
            drawn[placed.index] = pane
            damage += damaged
            if focused {
                frame.focused = pane.metrics
                if let search, let source = model.search?.source {
                    frame.matches = matches(of: search, source: source, pane: placed.index, width: placed.rect.width - 2, panes: panes, memo: &memo)
                }
            }
        }
        if let rect = layout.table {
            redraw(rect, reusing: previous != nil, in: &frame.buffer, damage: &damage)
            frame.tableViewport = TableView.draw(panes, rows: table, focus: model.focus, settings: model.table, in: rect, into: &frame.buffer)
        }
        var inspected: UInt64?
        if let rect = layout.inspector, panes.indices.contains(model.focus) {
            inspected = panes[model.focus].version
            if previous == nil || previous?.inspected != inspected {
                redraw(rect, reusing: previous != nil, in: &frame.buffer, damage: &damage)
                InspectorView.draw(
                    panes[model.focus], settings: model.inspector, selecting: model.mode == .inspector, in: rect, into: &frame.buffer)
            }
        }
        if let rect = layout.extraBar {
            redraw(rect, reusing: previous != nil, in: &frame.buffer, damage: &damage)
            for (row, runs) in chrome.extraBar.enumerated() {
                frame.buffer.write(runs, x: rect.x, y: rect.y + row, limit: rect.maxX)
            }
        }
        if let rect = layout.prompt {
            redraw(rect, reusing: previous != nil, in: &frame.buffer, damage: &damage)
            frame.cursor = drawPrompt(model, panes: panes, in: rect, into: &frame.buffer)
        }
        var ranks = [Int](repeating: 0, count: PhaseBadge.order.count)
        for pane in panes { ranks[PhaseBadge.rank(pane.snapshot.state.phase)] += 1 }
        var counts: [String: Int] = [:]
        for (rank, count) in ranks.enumerated() where count > 0 { counts[PhaseBadge.order[rank].name] = count }
        let status = StatusInputs(phaseCounts: counts, fleet: chrome.fleet, label: chrome.label, clock: chrome.clock, isReplay: chrome.isReplay)
        if previous?.status != status {
            // The status bar fills its row itself.
            damage.append(layout.status)
            StatusBar.draw(
                phaseCounts: counts, fleet: chrome.fleet, layout: layout, notice: model.notice, label: chrome.label, clock: chrome.clock,
                hints: StatusBar.hints(model, replay: chrome.isReplay), zoomed: model.isZoomed, in: layout.status, into: &frame.buffer)
        }
        if model.mode == .help {
            HelpView.draw(keyHelp, top: model.helpTop, in: Rect(x: 0, y: 0, width: model.size.width, height: model.size.height - 1), into: &frame.buffer)
        }
        let overlay = Rect(x: 0, y: 0, width: model.size.width, height: model.size.height - 1)
        switch model.mode {
        case .alerts: AlertListView.draw(panes.map(\.snapshot), in: overlay, into: &frame.buffer)
        case .eventTypes(let cursor, _) where panes.indices.contains(model.focus):
            let events = panes[model.focus].snapshot.state.recentEvents
            EventTypesView.draw(model.inspector.typeChoices(events), hidden: model.inspector.hidden, cursor: cursor, in: overlay, into: &frame.buffer)
        case .eventDetail(let number, let top) where panes.indices.contains(model.focus):
            let record = InspectorSettings.event(number, in: panes[model.focus].snapshot.state.recentEvents)
            EventDetailView.draw(record, top: top, in: overlay, into: &frame.buffer)
        default: break
        }
        if previous != nil { frame.damage = damage }
        memo.last = LastFrame(model: model, layout: layout, buffer: frame.buffer, panes: drawn, inspected: inspected, status: status)
        return frame
    }

    /// The lines of pane `pane`'s transcript that match `search`, from the memo when neither
    /// changed.
    private static func matches(of search: TextMatcher, source: String, pane: Int, width: Int, panes: [PaneFrame], memo: inout Memo) -> [Int] {
        let frame = panes[pane]
        let lines = memo.transcript.lines(pane: pane, snapshot: frame.snapshot, version: frame.version, width: width)
        if let hits = memo.hits, hits.pane == pane, hits.revision == lines.revision, hits.source == source {
            return hits.lines
        }
        let found = (0..<lines.count).filter { search.matches(SearchHighlight.text(lines[$0])) }
        memo.hits = SearchHits(pane: pane, revision: lines.revision, source: source, lines: found)
        return found
    }

    /// Blanks `rect` before it is drawn again on a reused frame, and notes it as damaged.
    private static func redraw(_ rect: Rect, reusing: Bool, in buffer: inout CellBuffer, damage: inout [Rect]) {
        guard reusing else { return }
        buffer.fill(rect)
        damage.append(rect)
    }

    /// The input or confirmation line; returns where the cursor goes while typing.
    private static func drawPrompt(_ model: AppModel, panes: [PaneFrame], in rect: Rect, into buffer: inout CellBuffer) -> (x: Int, y: Int)? {
        let active = panes.filter { $0.snapshot.state.phase.isActive }.count
        switch model.mode {
        case .confirm(let question):
            let runs = [
                StyledRun(" " + question.question(paneCount: model.paneCount, activeCount: active) + " ", CellStyle(.accent, bold: true, reverse: true)),
                StyledRun("  y yes · any other key no", CellStyle(.muted)),
            ]
            buffer.write(runs, x: rect.x, y: rect.y, limit: rect.maxX)
            return nil
        case .prompt(.text(let verb), let line):
            let name = panes.indices.contains(model.focus) ? panes[model.focus].snapshot.name : ""
            return drawLine(line, label: " \(verb.promptNoun) to \(model.focus + 1) \(name) › ", in: rect, into: &buffer)
        case .prompt(.time, let line):
            return drawLine(line, label: " go to (mm:ss) › ", in: rect, into: &buffer)
        case .prompt(.search, let line):
            let label = model.showsTable && !model.isZoomed ? " filter (text, regex or phase:NAME) › " : " search (regex) › "
            return drawLine(line, label: label, in: rect, into: &buffer)
        case .prompt(.pane, let line):
            return drawLine(line, label: " go to pane (number or name) › ", in: rect, into: &buffer)
        case .prompt(.inspector, let line):
            return drawLine(line, label: " inspector filter (regex over type and payload) › ", in: rect, into: &buffer)
        case .normal, .help, .alerts, .inspector, .eventTypes, .eventDetail:
            return nil
        }
    }

    /// An editable line after its label; returns where the cursor goes.
    private static func drawLine(_ line: InputLine, label: String, in rect: Rect, into buffer: inout CellBuffer) -> (x: Int, y: Int) {
        let start = buffer.write(label, x: rect.x, y: rect.y, style: CellStyle(.user, bold: true), limit: rect.maxX)
        let room = max(1, rect.maxX - start - 1)
        // Scroll the text sideways so the cursor stays in view; never cut a wide character.
        var characters = line.characters[...]
        var hidden = 0
        while CellWidth.of(String(characters.prefix(line.cursor - hidden))) > room, !characters.isEmpty {
            characters = characters.dropFirst()
            hidden += 1
        }
        buffer.write(String(characters), x: start, y: rect.y, limit: rect.maxX)
        return (start + CellWidth.of(String(characters.prefix(line.cursor - hidden))), rect.y)
    }

    private static func drawTooSmall(_ size: ScreenSize, into buffer: inout CellBuffer) {
        let lines = [
            "terminal too small",
            "need \(ConsoleLayout.minimumSize.width)×\(ConsoleLayout.minimumSize.height)",
            "have \(size.width)×\(size.height)",
        ]
        let top = max(0, (size.height - lines.count) / 2)
        for (row, text) in lines.enumerated() {
            let x = max(0, (size.width - CellWidth.of(text)) / 2)
            buffer.write(text, x: x, y: top + row, style: CellStyle(.error, bold: row == 0))
        }
    }
}
