/// The help overlay: every key, generated from the keymap table, in a box over the panes.
package enum HelpView {
    package static func draw(_ entries: [KeyHelpLine], in screen: Rect, into buffer: inout CellBuffer) {
        let labelWidth = entries.map { CellWidth.of($0.label) }.max() ?? 0
        let textWidth = entries.map { CellWidth.of($0.help) }.max() ?? 0
        let width = min(screen.width, labelWidth + textWidth + 7)
        let height = min(screen.height, entries.count + 2)
        let box = Rect(x: screen.x + (screen.width - width) / 2, y: screen.y + (screen.height - height) / 2, width: width, height: height)
        PaneView.drawBorder(box, focused: true, clearingInside: true, into: &buffer)
        buffer.write(" keys · any key closes ", x: box.x + 2, y: box.y, style: CellStyle(.focus, bold: true), limit: box.maxX - 2)
        for (row, entry) in entries.prefix(box.height - 2).enumerated() {
            let y = box.y + 1 + row
            buffer.write(entry.label, x: box.x + 2, y: y, style: CellStyle(.accent, bold: true), limit: box.maxX - 1)
            buffer.write(entry.help, x: box.x + 4 + labelWidth, y: y, limit: box.maxX - 1)
        }
    }
}
