import ConvEngine

/// One event's whole JSON, pretty-printed (Enter in the inspector), in a box over the panes
/// that scrolls from `top`. Long lines wrap; the payload is what the inspector keeps (strings
/// over ``TextLimit/inspectorBytes`` are cut; the log has them whole).
package enum EventDetailView {
    package static func draw(_ record: EventRecord?, top: Int, in screen: Rect, into buffer: inout CellBuffer) {
        let box = screen.inset(1)
        guard box.width >= 10, box.height >= 3 else { return }
        PaneView.drawBorder(box, focused: true, clearingInside: true, into: &buffer)
        let width = box.width - 4
        var lines: [String] = []
        for line in record.map(EventDetail.lines) ?? ["this event is no longer kept (the log has it)"] {
            // A long value goes on under its member, indented one more level.
            let indent = String(repeating: " ", count: line.prefix { $0 == " " }.count + 2)
            let pieces = TextWrap.wrap(line[...], firstWidth: width, width: max(1, width - indent.count))
            lines += pieces.enumerated().map { $0.offset == 0 ? String($0.element) : indent + $0.element }
        }
        let rows = box.height - 2
        let first = min(max(0, top), max(0, lines.count - rows))
        let title = " event\(record.map { " · \($0.type)" } ?? "") · ↑↓ PgUp PgDn scroll · Esc closes "
        buffer.write(title, x: box.x + 2, y: box.y, style: CellStyle(.focus, bold: true), limit: box.maxX - 2)
        for (row, line) in lines[first..<min(lines.count, first + rows)].enumerated() {
            buffer.write(line, x: box.x + 2, y: box.y + 1 + row, limit: box.maxX - 2)
        }
        if lines.count > rows {
            let position = " \(first + 1)-\(first + rows) of \(lines.count) "
            buffer.write(position, x: box.x + 2, y: box.maxY - 1, style: CellStyle(.focus, bold: true), limit: box.maxX - 2)
        }
    }
}
