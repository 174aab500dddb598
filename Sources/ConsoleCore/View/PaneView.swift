import ConvEngine

/// Draws one session pane: a framed box whose top edge is the header (number, name, phase
/// badge, elapsed time, latencies, backend, conversation id), whose bottom edge holds the
/// counters, and whose inside is the transcript, following the newest lines or scrolled back.
package enum PaneView {
    /// What a pane's transcript looked like this frame (update needs it for scrolling).
    package struct Metrics: Equatable, Sendable {
        package var lines = 0
        package var viewport = 0

        package init(lines: Int = 0, viewport: Int = 0) {
            self.lines = lines
            self.viewport = viewport
        }
    }

    /// What a pane was last drawn from, so that the next frame redraws only the parts whose
    /// inputs changed: the edges when the header's or footer's data did, and the transcript
    /// rows whose lines did.
    package struct Drawn: Sendable {
        package let version: UInt64
        package let edges: Edges
        package let isFrozen: Bool
        /// The transcript lines on screen, top down, and where they came from.
        package let rows: [[StyledRun]]
        package let revision: Int
        package let top: Int
        package let metrics: Metrics
    }

    /// Everything the header and footer are drawn from besides focus and width.
    package struct Edges: Equatable, Sendable {
        package let number: Int
        package let name: String
        package let phase: SessionPhase
        package let backend: String
        package let conversationId: String?
        package let figures: PaneFigures
        /// The row of calls waiting for the operator, if any (``awaiting(_:)``), else the
        /// frame's note.
        package let awaiting: String?
        package let levels: LevelMeters.Reading?

        package init(_ frame: PaneFrame) {
            levels = frame.levels
            let snapshot = frame.snapshot
            number = snapshot.number
            name = snapshot.name
            phase = snapshot.state.phase
            backend = snapshot.state.backend
            conversationId = snapshot.state.conversationId
            figures = frame.figures
            awaiting = PaneView.awaiting(snapshot.state, keys: frame.answersCalls) ?? frame.note.map { " " + $0 }
        }
    }

    /// Draws the pane over what `previous` drew in the same place with the same focus and
    /// scroll position (nil: draws it all). Returns what it drew from and the regions it drew.
    package static func draw(
        _ frame: PaneFrame, index: Int, in rect: Rect, focused: Bool, scrollTop: Int?, over previous: Drawn? = nil,
        search: TextMatcher? = nil, into buffer: inout CellBuffer, transcript: inout TranscriptLines
    ) -> (drawn: Drawn, damage: [Rect]) {
        let edges = Edges(frame)
        if let previous, previous.version == frame.version, previous.isFrozen == frame.isFrozen, previous.edges == edges {
            return (previous, [])
        }
        guard rect.width >= 4, rect.height >= 3 else {
            return (Drawn(version: frame.version, edges: edges, isFrozen: frame.isFrozen, rows: [], revision: 0, top: 0, metrics: Metrics()), [])
        }
        let inner = rect.inset(1)
        let lines = transcript.lines(pane: index, snapshot: frame.snapshot, version: frame.version, width: inner.width)
        // Calls waiting for the operator take the last row, while the pane has rows to spare.
        let awaitingRow = edges.awaiting != nil && inner.height > 1
        let viewport = inner.height - (awaitingRow ? 1 : 0)
        let bottomTop = max(0, lines.count - viewport)
        let top = min(scrollTop ?? bottomTop, bottomTop)
        let rows =
            if let previous, previous.revision == lines.revision, previous.top == top { previous.rows } else {
                (top..<min(top + viewport, lines.count)).map { row in search.map { SearchHighlight.apply($0, to: lines[row]) } ?? lines[row] }
            }
        let drawn = Drawn(
            version: frame.version, edges: edges, isFrozen: frame.isFrozen, rows: rows, revision: lines.revision, top: top,
            metrics: Metrics(lines: lines.count, viewport: viewport))
        // A frozen pane is dimmed whole and a scrolled-back one has its marker row: both are
        // rare and simply drawn again.
        // A change of trouble recolours the side edges too: drawn again whole.
        guard let previous, !frame.isFrozen, !previous.isFrozen, scrollTop == nil, previous.edges.awaiting == edges.awaiting,
            previous.edges.figures.trouble == edges.figures.trouble
        else {
            buffer.fill(rect)
            drawBorder(rect, focused: focused, trouble: edges.figures.trouble, into: &buffer)
            drawEdges(frame, edges: edges, in: rect, focused: focused, into: &buffer)
            for (row, line) in rows.enumerated() {
                buffer.write(line, x: inner.x, y: inner.y + row, limit: inner.maxX)
            }
            if rows.isEmpty, case .failed(let reason) = edges.phase {
                // A session that failed before saying anything (a log replay cannot read)
                // shows why in the pane rather than leave it empty.
                let wrapped = TextWrap.wrap(Substring(TextSanitizer.sanitize(reason)), firstWidth: inner.width, width: inner.width)
                for (row, piece) in wrapped.prefix(viewport).enumerated() {
                    buffer.write(piece, x: inner.x, y: inner.y + row, style: CellStyle(.error), limit: inner.maxX)
                }
            }
            if awaitingRow, let awaiting = edges.awaiting {
                let style = CellStyle(.tool, bold: true, reverse: true)
                buffer.fill(Rect(x: inner.x, y: inner.maxY - 1, width: inner.width, height: 1), style: style)
                buffer.write(awaiting, x: inner.x, y: inner.maxY - 1, style: style, limit: inner.maxX)
            }
            drawMarkers(frame, lines: lines.count, top: top, viewport: viewport, scrolled: scrollTop != nil, in: rect, into: &buffer)
            return (drawn, [rect])
        }
        var damage: [Rect] = []
        if previous.edges != edges {
            drawEdgeRow(rect, y: rect.y, focused: focused, trouble: edges.figures.trouble, into: &buffer)
            drawEdgeRow(rect, y: rect.maxY - 1, focused: focused, trouble: edges.figures.trouble, into: &buffer)
            drawEdges(frame, edges: edges, in: rect, focused: focused, into: &buffer)
            damage += [Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), Rect(x: rect.x, y: rect.maxY - 1, width: rect.width, height: 1)]
        }
        // Rows whose line changed, each stretch of them one region. When the lines moved up (new
        // ones at the bottom), a row showing a line that was on screen lower down is copied from
        // there: rows are done top down, so that row is still as the last frame drew it.
        let moved = top - previous.top
        var row = 0
        while row < viewport {
            guard Self.row(rows, row) != Self.row(previous.rows, row) else {
                row += 1
                continue
            }
            let first = row
            while row < viewport, Self.row(rows, row) != Self.row(previous.rows, row) {
                let y = inner.y + row
                if moved > 0, row + moved < viewport, let line = Self.row(rows, row), line == Self.row(previous.rows, row + moved) {
                    buffer.copy(columns: inner.x..<inner.maxX, fromRow: y + moved, toRow: y)
                } else {
                    buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1))
                    if let line = Self.row(rows, row) { buffer.write(line, x: inner.x, y: y, limit: inner.maxX) }
                }
                row += 1
            }
            damage.append(Rect(x: inner.x, y: inner.y + first, width: inner.width, height: row - first))
        }
        return (drawn, damage)
    }

    private static func row(_ rows: [[StyledRun]], _ index: Int) -> [StyledRun]? {
        rows.indices.contains(index) ? rows[index] : nil
    }

    /// The header over the top edge and the counters over the bottom one.
    private static func drawEdges(_ frame: PaneFrame, edges: Edges, in rect: Rect, focused: Bool, into buffer: inout CellBuffer) {
        // One cell of the edge stays free on each side of a header or footer, and one blank after it.
        let headerEnd = buffer.writeWholeRuns(header(frame, focused: focused, room: rect.width - 5), x: rect.x + 2, y: rect.y, limit: rect.maxX - 3)
        buffer.write(" ", x: headerEnd, y: rect.y, limit: rect.maxX - 2)
        let footerEnd = buffer.writeWholeRuns(footer(edges.figures), x: rect.x + 2, y: rect.maxY - 1, limit: rect.maxX - 3)
        buffer.write(" ", x: footerEnd, y: rect.maxY - 1, limit: rect.maxX - 2)
    }

    /// The scrolled-back note on the last row and the frozen dimming and marker.
    private static func drawMarkers(_ frame: PaneFrame, lines: Int, top: Int, viewport: Int, scrolled: Bool, in rect: Rect, into buffer: inout CellBuffer) {
        let inner = rect.inset(1)
        let below = lines - (top + viewport)
        if scrolled, below > 0, viewport > 0 {
            let y = inner.y + viewport - 1
            buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: CellStyle(.accent, reverse: true))
            buffer.write(
                "↓ \(below) new line\(below == 1 ? "" : "s") below · End follows", x: inner.x, y: y,
                style: CellStyle(.accent, reverse: true), limit: inner.maxX)
        }
        if frame.isFrozen {
            buffer.dim(rect)
            let marker = " ‖ \(frame.frozenMarker) "
            buffer.write(marker, x: max(rect.x + 1, rect.maxX - 2 - CellWidth.of(marker)), y: rect.maxY - 1, style: CellStyle(.accent, bold: true), limit: rect.maxX - 1)
        }
    }

    /// What waits for the operator, with the live console's keys that answer it when `keys`:
    /// MCP calls awaiting approval first (the agent times them out), then client tool calls.
    package static func awaiting(_ state: SessionState, keys: Bool = true) -> String? {
        func named(_ calls: [PendingCall]) -> String {
            (calls.first.map { TextSanitizer.sanitize($0.name) } ?? "") + (calls.count > 1 ? " (+\(calls.count - 1) more)" : "")
        }
        var parts: [String] = []
        if !state.pendingApprovals.isEmpty { parts.append("awaiting approval: \(named(state.pendingApprovals))" + (keys ? " · a approve / d deny" : "")) }
        if !state.pendingToolCalls.isEmpty { parts.append("awaiting tool result: \(named(state.pendingToolCalls))" + (keys ? " · o answers" : "")) }
        return parts.isEmpty ? nil : " " + parts.joined(separator: " · ")
    }

    /// The frame: double lines and the focus colour for the focused pane, so it stands out
    /// with or without colour; a pane in trouble (``PaneFigures/trouble``) has its frame in
    /// that colour (bold without colour; its header starts with a glyph). An overlay (help)
    /// clears what lies under it; panes and the inspector are drawn on a blank buffer and need not.
    package static func drawBorder(
        _ rect: Rect, focused: Bool, trouble: CellStyle.Tint? = nil, clearingInside: Bool = false, into buffer: inout CellBuffer
    ) {
        let style = borderStyle(focused, trouble: trouble)
        let v: Character = focused ? "║" : "│"
        drawEdgeRow(rect, y: rect.y, focused: focused, trouble: trouble, into: &buffer)
        drawEdgeRow(rect, y: rect.maxY - 1, focused: focused, trouble: trouble, into: &buffer)
        buffer.fill(Rect(x: rect.x, y: rect.y + 1, width: 1, height: rect.height - 2), with: v, style: style)
        buffer.fill(Rect(x: rect.maxX - 1, y: rect.y + 1, width: 1, height: rect.height - 2), with: v, style: style)
        if clearingInside { buffer.fill(rect.inset(1)) }
    }

    /// The top or bottom edge, corners included, without its text.
    private static func drawEdgeRow(_ rect: Rect, y: Int, focused: Bool, trouble: CellStyle.Tint?, into buffer: inout CellBuffer) {
        let style = borderStyle(focused, trouble: trouble)
        let h: Character = focused ? "═" : "─"
        let (left, right) = y == rect.y ? (focused ? ("╔", "╗") : ("┌", "┐")) : (focused ? ("╚", "╝") : ("└", "┘"))
        buffer.fill(Rect(x: rect.x + 1, y: y, width: rect.width - 2, height: 1), with: h, style: style)
        buffer.write(left, x: rect.x, y: y, style: style)
        buffer.write(right, x: rect.maxX - 1, y: y, style: style)
    }

    private static func borderStyle(_ focused: Bool, trouble: CellStyle.Tint?) -> CellStyle {
        if let trouble { return CellStyle(trouble, bold: true) }
        return focused ? CellStyle(.focus, bold: true) : CellStyle(.border)
    }

    /// The header's fields in the order they give way; `room` is the width they may take.
    package static func header(_ frame: PaneFrame, focused: Bool, room: Int) -> [StyledRun] {
        let state = frame.snapshot.state
        let figures = frame.figures
        // Narrow panes keep the phase: in full, as one word, or as its first letter.
        let phase = PhaseBadge.text(state.phase)
        let forms = [phase, String(phase.prefix { $0 != " " }), String(phase.prefix(1))]
        // A long name is cut (`…`) to leave room for the number and the phase in one word; left
        // whole, it would not fit and the header would lose the number and name altogether.
        let number = " \(frame.snapshot.number) "
        let nameRoom = room - (figures.trouble == nil ? 0 : 1) - CellWidth.of(number) - 2 - CellWidth.of(forms[1]) - 2
        let title = number + CellWidth.cut(frame.snapshot.name, to: max(1, nameRoom)) + " "
        let badge = " " + (forms.first { CellWidth.of(title) + CellWidth.of($0) + 3 <= room } ?? forms[2]) + " "
        let gap = CellWidth.of(title) + CellWidth.of(badge) + 1 <= room ? " " : ""
        // Trouble comes first, so it is the last thing a narrow pane gives up: `!` for alerts,
        // `E` for errors, readable without colour.
        var runs: [StyledRun] = []
        if let trouble = figures.trouble {
            runs.append(StyledRun(trouble == .alert ? "!" : "E", CellStyle(trouble, bold: true, reverse: true)))
        }
        runs += [
            StyledRun(title, CellStyle(focused ? .focus : .plain, bold: true, reverse: focused)),
            StyledRun(gap, .plain),
            StyledRun(badge, CellStyle(PhaseBadge.tint(state.phase), bold: true, reverse: true)),
        ]
        if let elapsed = figures.elapsed {
            runs.append(StyledRun(" " + TimeText.elapsed(microseconds: elapsed), .plain))
        }
        if let levels = frame.levels {
            runs.append(StyledRun(" u" + AudioLevel.bar(levels.user, cells: 3) + " a" + AudioLevel.bar(levels.agent, cells: 3), CellStyle(.accent)))
            if levels.isTalkOver { runs.append(StyledRun(" talk-over", CellStyle(.interruption, bold: true))) }
        }
        if let age = figures.serverAge, age >= quietAfter {
            let stalled = figures.alerts.contains(AlertRule.stalled.rawValue)
            runs.append(StyledRun(" quiet \(age / 1_000_000)s", stalled ? CellStyle(.alert, bold: true) : CellStyle(.muted)))
        }
        if let p50 = figures.p50Milliseconds, let p95 = figures.p95Milliseconds {
            runs.append(StyledRun(" v2v \(p50)/\(p95)ms", CellStyle(.plain)))
            runs.append(StyledRun(" " + figures.sparkline, CellStyle(.accent)))
        } else if let response = figures.responseMilliseconds {
            runs.append(StyledRun(" resp \(response)ms", CellStyle(.muted)))
        }
        if let ping = figures.pingMilliseconds {
            runs.append(StyledRun(" ping \(ping)ms", CellStyle(.muted)))
        }
        runs.append(StyledRun(" " + state.backend, CellStyle(.muted)))
        if let id = state.conversationId {
            // The end of an id tells sessions apart: ids begin with a kind and often a time,
            // the same for every session started together.
            runs.append(StyledRun(" #" + (id.count > 8 ? "…" + id.suffix(8) : id), CellStyle(.muted)))
        }
        // A live badge in full is padded to the longest one, so that the fields after it stay
        // put when the activity changes and only the badge is rewritten; not where the padding
        // would push a field out.
        if state.phase.isLive, badge.count == phase.count + 2 {
            let padding = StyledRun(String(repeating: " ", count: PhaseBadge.liveWidth - CellWidth.of(phase)), .plain)
            var padded = runs
            padded.insert(padding, at: figures.trouble == nil ? 3 : 4)
            if StyledRun.wholeRunsFitting(padded, room: room) == StyledRun.wholeRunsFitting(runs, room: room) + 1 { return padded }
        }
        return runs
    }

    /// The current run's trouble first (alerts, errors, interruptions: never the first
    /// thing a narrow pane cuts), then restarts and the session's traffic.
    package static func footer(_ figures: PaneFigures) -> [StyledRun] {
        let muted = CellStyle(.muted)
        let counters = figures.counters
        var runs: [StyledRun] = []
        if let first = figures.alerts.first {
            let more = figures.alerts.count > 1 ? " +\(figures.alerts.count - 1)" : ""
            runs.append(StyledRun(" ! \(first)\(more) ·", CellStyle(.alert, bold: true)))
        }
        runs += [
            StyledRun(" err \(figures.runErrors)", figures.runErrors > 0 ? CellStyle(.error, bold: true) : muted),
            StyledRun(" · int \(figures.runInterruptions)", figures.runInterruptions > 0 ? CellStyle(.interruption) : muted),
        ]
        if figures.restarts > 0 { runs.append(StyledRun(" · restarts \(figures.restarts)", CellStyle(.accent))) }
        runs += [
            StyledRun(" · in \(counters.eventsIn) out \(counters.eventsOut)", muted),
            StyledRun(
                " · audio \(TimeText.audio(milliseconds: counters.audioMillisecondsIn))/\(TimeText.audio(milliseconds: counters.audioMillisecondsOut))",
                muted),
            StyledRun(" · stale \(counters.staleAudioDropped)", muted),
        ]
        return runs
    }

    /// How long without a server event before the header says so.
    static let quietAfter: Int64 = 5_000_000
}
