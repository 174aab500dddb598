import ConvEngine

/// Draws one session pane: a framed box whose top edge is the header (number, name, phase
/// badge, elapsed time, latencies, backend, conversation id), whose bottom edge holds the
/// counters, and whose inside is the transcript, following the newest lines or scrolled back.
enum PaneView {
    /// What a pane's transcript looked like this frame (update needs it for scrolling).
    struct Metrics: Equatable, Sendable {
        var lines = 0
        var viewport = 0
    }

    /// Draws the pane; `header` is ``header(_:focused:room:)`` for it with a room of the rect's
    /// width less 5, when the caller has it already.
    static func draw(
        _ frame: PaneFrame, index: Int, in rect: Rect, focused: Bool, header given: [StyledRun]? = nil, scrollTop: Int?,
        into buffer: inout CellBuffer, transcript: inout TranscriptLines
    ) -> Metrics {
        guard rect.width >= 4, rect.height >= 3 else { return Metrics() }
        drawBorder(rect, focused: focused, into: &buffer)
        let state = frame.snapshot.state
        // One cell of the edge stays free on each side of a header or footer, and one blank after it.
        let runs = given ?? header(frame, focused: focused, room: rect.width - 5)
        let headerEnd = buffer.writeWholeRuns(runs, x: rect.x + 2, y: rect.y, limit: rect.maxX - 3)
        buffer.write(" ", x: headerEnd, y: rect.y, limit: rect.maxX - 2)
        let footerEnd = buffer.writeWholeRuns(footer(state.counters), x: rect.x + 2, y: rect.maxY - 1, limit: rect.maxX - 3)
        buffer.write(" ", x: footerEnd, y: rect.maxY - 1, limit: rect.maxX - 2)

        let inner = rect.inset(1)
        let lines = transcript.lines(pane: index, snapshot: frame.snapshot, version: frame.version, width: inner.width)
        let viewport = inner.height
        let bottomTop = max(0, lines.count - viewport)
        let top = min(scrollTop ?? bottomTop, bottomTop)
        let below = lines.count - (top + viewport)
        for row in 0..<viewport where top + row < lines.count {
            buffer.write(lines[top + row], x: inner.x, y: inner.y + row, limit: inner.maxX)
        }
        if scrollTop != nil, below > 0, viewport > 0 {
            let y = inner.maxY - 1
            buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: CellStyle(.accent, reverse: true))
            buffer.write(
                "↓ \(below) new line\(below == 1 ? "" : "s") below · End follows", x: inner.x, y: y,
                style: CellStyle(.accent, reverse: true), limit: inner.maxX)
        }
        if frame.isFrozen {
            buffer.dim(rect)
            let marker = " ‖ frozen "
            buffer.write(marker, x: max(rect.x + 1, rect.maxX - 2 - CellWidth.of(marker)), y: rect.maxY - 1, style: CellStyle(.accent, bold: true), limit: rect.maxX - 1)
        }
        return Metrics(lines: lines.count, viewport: viewport)
    }

    /// The frame: double lines and the focus colour for the focused pane, so it stands out
    /// with or without colour. An overlay (help) clears what lies under it; panes and the
    /// inspector are drawn on a blank buffer and need not.
    static func drawBorder(_ rect: Rect, focused: Bool, clearingInside: Bool = false, into buffer: inout CellBuffer) {
        let style = focused ? CellStyle(.focus, bold: true) : CellStyle(.border)
        let (h, v, tl, tr, bl, br): (Character, Character, Character, Character, Character, Character) =
            focused ? ("═", "║", "╔", "╗", "╚", "╝") : ("─", "│", "┌", "┐", "└", "┘")
        buffer.fill(Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: 1), with: h, style: style)
        buffer.fill(Rect(x: rect.x + 1, y: rect.maxY - 1, width: rect.width - 2, height: 1), with: h, style: style)
        buffer.fill(Rect(x: rect.x, y: rect.y + 1, width: 1, height: rect.height - 2), with: v, style: style)
        buffer.fill(Rect(x: rect.maxX - 1, y: rect.y + 1, width: 1, height: rect.height - 2), with: v, style: style)
        if clearingInside { buffer.fill(rect.inset(1)) }
        buffer.write(String(tl), x: rect.x, y: rect.y, style: style)
        buffer.write(String(tr), x: rect.maxX - 1, y: rect.y, style: style)
        buffer.write(String(bl), x: rect.x, y: rect.maxY - 1, style: style)
        buffer.write(String(br), x: rect.maxX - 1, y: rect.maxY - 1, style: style)
    }

    /// The header's fields in the order they give way; `room` is the width they may take.
    static func header(_ frame: PaneFrame, focused: Bool, room: Int) -> [StyledRun] {
        let state = frame.snapshot.state
        let title = " \(frame.snapshot.number) \(frame.snapshot.name) "
        // Narrow panes keep the phase: in full, as one word, or as its first letter.
        let phase = PhaseBadge.text(state.phase)
        let forms = [phase, String(phase.prefix { $0 != " " }), String(phase.prefix(1))]
        let badge = " " + (forms.first { CellWidth.of(title) + CellWidth.of($0) + 3 <= room } ?? forms[2]) + " "
        let gap = CellWidth.of(title) + CellWidth.of(badge) + 1 <= room ? " " : ""
        var runs = [
            StyledRun(title, CellStyle(focused ? .focus : .plain, bold: true, reverse: focused)),
            StyledRun(gap, .plain),
            StyledRun(badge, CellStyle(PhaseBadge.tint(state.phase), bold: true, reverse: true)),
        ]
        if let started = state.runStartedAt {
            let end = state.runEndedAt ?? (state.phase.isActive ? max(frame.now, state.lastEventAt) : state.lastEventAt)
            runs.append(StyledRun(" " + Clock.elapsed(microseconds: end - started), .plain))
        }
        if let response = state.lastResponseMilliseconds {
            runs.append(StyledRun(" resp \(response)ms", CellStyle(.muted)))
        }
        if let ping = state.lastPingMilliseconds {
            runs.append(StyledRun(" ping \(ping)ms", CellStyle(.muted)))
        }
        runs.append(StyledRun(" " + state.backend, CellStyle(.muted)))
        if let id = state.conversationId {
            runs.append(StyledRun(" #" + id.prefix(8), CellStyle(.muted)))
        }
        return runs
    }

    static func footer(_ counters: SessionCounters) -> [StyledRun] {
        let muted = CellStyle(.muted)
        return [
            StyledRun(" in \(counters.eventsIn) out \(counters.eventsOut)", muted),
            StyledRun(
                " · audio \(Clock.audio(milliseconds: counters.audioMillisecondsIn))/\(Clock.audio(milliseconds: counters.audioMillisecondsOut))",
                muted),
            StyledRun(" · int \(counters.interruptions)", muted),
            StyledRun(" · stale \(counters.staleAudioDropped)", muted),
            StyledRun(" · err \(counters.errors)", counters.errors > 0 ? CellStyle(.error, bold: true) : muted),
        ]
    }
}
