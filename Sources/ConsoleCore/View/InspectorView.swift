import ConvEngine

/// The event inspector: the focused session's event stream, newest at the bottom, one event a
/// line (time, direction, type, short payload), without the hidden types and, with a regex,
/// only what matches. Held (scrolled up or paused), its bottom row is the selected event.
package enum InspectorView {
    /// Width of the type column.
    package static let typeWidth = 20

    package static func draw(
        _ frame: PaneFrame, settings: InspectorSettings, selecting: Bool = false, in rect: Rect, into buffer: inout CellBuffer
    ) {
        guard rect.width >= 4, rect.height >= 3 else { return }
        PaneView.drawBorder(rect, focused: selecting, into: &buffer)
        let events = frame.snapshot.state.recentEvents
        let shown = settings.shown(events)
        let held = settings.bottom.map { bottom in shown.filter { $0 <= bottom } } ?? shown
        var title: [StyledRun] = [StyledRun(" events · \(frame.snapshot.number) \(frame.snapshot.name) ", CellStyle(.accent, bold: true))]
        // Held first: on a narrow inspector, knowing it does not follow matters most.
        if settings.bottom != nil {
            let newer = shown.count - held.count
            title.append(StyledRun(" ‖ held · \(newer) newer · End follows ", CellStyle(.accent, bold: true, reverse: true)))
        }
        let hidden = settings.hidden.count
        title.append(
            StyledRun(
                hidden == 0 ? " f types: all " : " f \(hidden) type\(hidden == 1 ? "" : "s") hidden ",
                hidden == 0 ? CellStyle(.muted) : CellStyle(.accent, reverse: true)))
        if let pattern = settings.pattern {
            title.append(StyledRun(" F /" + TextSanitizer.sanitize(pattern.source) + "/ ", CellStyle(.accent, reverse: true)))
        }
        // The filter matters more than a tidy edge: clipped, not dropped.
        buffer.write(title, x: rect.x + 2, y: rect.y, limit: rect.maxX - 2)
        let inner = rect.inset(1)
        let rows = held.suffix(inner.height)
        for (row, number) in rows.enumerated() {
            guard let event = InspectorSettings.event(number, in: events) else { continue }
            var runs = line(event)
            // The selected event (Enter opens it) shows while the inspector has the keys or is held.
            if (selecting || settings.bottom != nil) && number == rows.last {
                runs = runs.map { StyledRun($0.text, CellStyle($0.style.tint, bold: $0.style.bold, reverse: true)) }
            }
            buffer.write(runs, x: inner.x, y: inner.y + row, limit: inner.maxX)
        }
        if rows.isEmpty {
            let filtered = hidden > 0 || settings.pattern != nil
            buffer.write("no events" + (filtered ? " that match" : ""), x: inner.x, y: inner.y, style: CellStyle(.muted), limit: inner.maxX)
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
