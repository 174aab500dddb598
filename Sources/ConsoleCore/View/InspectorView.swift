import ConvEngine

/// The event inspector: the focused session's event stream, newest at the bottom, one event a
/// line (time, direction, type, short payload), optionally only one event type.
package enum InspectorView {
    /// Width of the type column.
    package static let typeWidth = 20

    package static func draw(
        _ frame: PaneFrame, filter: String?, pattern: TextPattern? = nil, pausedAt: Int64? = nil, in rect: Rect, into buffer: inout CellBuffer
    ) {
        guard rect.width >= 4, rect.height >= 3 else { return }
        PaneView.drawBorder(rect, focused: false, into: &buffer)
        var title: [StyledRun] = [
            StyledRun(" events · \(frame.snapshot.number) \(frame.snapshot.name) ", CellStyle(.accent, bold: true)),
            StyledRun(" f filter: \(filter ?? "all") ", filter == nil ? CellStyle(.muted) : CellStyle(.accent, reverse: true)),
        ]
        if let pattern {
            title.append(StyledRun(" F /" + TextSanitizer.sanitize(pattern.source) + "/ ", CellStyle(.accent, reverse: true)))
        }
        if pausedAt != nil {
            title.append(StyledRun(" ‖ paused · p follows ", CellStyle(.accent, bold: true, reverse: true)))
        }
        let matcher = pattern?.matcher()
        // The filter matters more than a tidy edge: clipped, not dropped.
        buffer.write(title, x: rect.x + 2, y: rect.y, limit: rect.maxX - 2)
        let inner = rect.inset(1)
        let events = frame.snapshot.state.recentEvents
        var shown: [EventRecord] = []
        var i = events.count - 1
        while i >= 0, shown.count < inner.height {
            let event = events[i]
            if filter == nil || event.type == filter, pausedAt.map({ event.offset <= $0 }) ?? true,
                matcher.map({ $0.matches(event.type + " " + event.summary) }) ?? true
            {
                shown.append(event)
            }
            i -= 1
        }
        for (row, event) in shown.reversed().enumerated() {
            buffer.write(line(event), x: inner.x, y: inner.y + row, limit: inner.maxX)
        }
        if shown.isEmpty {
            buffer.write("no events" + (filter == nil && pattern == nil ? "" : " that match"), x: inner.x, y: inner.y, style: CellStyle(.muted), limit: inner.maxX)
        }
    }

    package static func line(_ event: EventRecord) -> [StyledRun] {
        let (arrow, tint): (String, CellStyle.Tint) =
            switch event.direction {
            case .incoming: ("←", .agent)
            case .outgoing: ("→", .user)
            case .local: ("·", .system)
            }
        let time = TimeText.seconds(microseconds: event.offset)
        let pad = max(1, typeWidth - CellWidth.of(event.type))
        return [
            StyledRun(String(repeating: " ", count: max(0, 8 - time.count)) + time + " ", CellStyle(.muted)),
            StyledRun(arrow + " ", CellStyle(tint, bold: true)),
            StyledRun(event.type + String(repeating: " ", count: pad), CellStyle(tint)),
            StyledRun(event.summary, .plain),
        ]
    }
}
