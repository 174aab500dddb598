/// The inspector's event-type list (`f`): every type with a box that says whether the
/// inspector shows it, the cursor's row reversed, in a box over the panes.
package enum EventTypesView {
    package static func draw(_ types: [String], hidden: Set<String>, cursor: Int, in screen: Rect, into buffer: inout CellBuffer) {
        let lines = types.isEmpty ? ["no events yet"] : types.map { (hidden.contains($0) ? "[ ] " : "[x] ") + $0 }
        let title = " event types · Space show/hide · o only · a all · Enter done "
        let width = min(screen.width, max(CellWidth.of(title) + 4, (lines.map(CellWidth.of).max() ?? 0) + 4))
        let height = min(screen.height, lines.count + 2)
        let box = Rect(x: screen.x + (screen.width - width) / 2, y: screen.y + (screen.height - height) / 2, width: width, height: height)
        PaneView.drawBorder(box, focused: true, clearingInside: true, into: &buffer)
        buffer.write(title, x: box.x + 2, y: box.y, style: CellStyle(.focus, bold: true), limit: box.maxX - 2)
        let rows = max(1, box.height - 2)
        // The cursor's row stays in view.
        let first = min(max(0, cursor - rows + 1), max(0, lines.count - rows))
        for (row, line) in lines[first..<min(lines.count, first + rows)].enumerated() {
            let selected = first + row == cursor && !types.isEmpty
            buffer.write(line, x: box.x + 2, y: box.y + 1 + row, style: CellStyle(.plain, reverse: selected), limit: box.maxX - 1)
        }
    }
}
