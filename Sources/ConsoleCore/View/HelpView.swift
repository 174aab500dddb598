/// The help overlay: every key, generated from the keymap table, in a box over the panes.
/// When the lines do not fit, the box scrolls (from `top`) and its bottom edge says so.
package enum HelpView {
    package static func draw(_ entries: [KeyHelpLine], top: Int = 0, in screen: Rect, into buffer: inout CellBuffer) {
        let labelWidth = entries.map { CellWidth.of($0.label) }.max() ?? 0
        let textWidth = entries.map { CellWidth.of($0.help) }.max() ?? 0
        let width = min(screen.width, labelWidth + textWidth + 7)
        let height = min(screen.height, entries.count + 2)
        let box = Rect(x: screen.x + (screen.width - width) / 2, y: screen.y + (screen.height - height) / 2, width: width, height: height)
        PaneView.drawBorder(box, focused: true, clearingInside: true, into: &buffer)
        let rows = max(0, box.height - 2)
        let first = min(max(0, top), max(0, entries.count - rows))
        let scrolls = entries.count > rows
        let title = scrolls ? " keys · ↑↓ PgUp PgDn scroll · other keys close " : " keys · any key closes "
        buffer.write(title, x: box.x + 2, y: box.y, style: CellStyle(.focus, bold: true), limit: box.maxX - 2)
        for (row, entry) in entries[first..<min(entries.count, first + rows)].enumerated() {
            let y = box.y + 1 + row
            buffer.write(entry.label, x: box.x + 2, y: y, style: CellStyle(.accent, bold: true), limit: box.maxX - 1)
            buffer.write(entry.help, x: box.x + 4 + labelWidth, y: y, limit: box.maxX - 1)
        }
        if scrolls {
            let position = " \(first + 1)-\(first + rows) of \(entries.count) "
            buffer.write(position, x: box.x + 2, y: box.maxY - 1, style: CellStyle(.focus, bold: true), limit: box.maxX - 2)
        }
    }
}
