import ConvEngine

/// The session table: a title (how many rows show, the sort and the filter), the column
/// headings, then one row per session, paged so that the selected one (the focused pane) is
/// on screen. Only the rows on screen are formatted, so a frame costs the same for ten
/// sessions or ten thousand.
package enum TableView {
    /// Rows above the sessions: the title and the headings.
    package static let chromeRows = 2

    /// Draws the table; returns how many session rows fit.
    @discardableResult
    package static func draw(
        _ panes: [PaneFrame], rows: [Int], focus: Int, settings: TableSettings, in rect: Rect, into buffer: inout CellBuffer
    ) -> Int {
        let viewport = max(0, rect.height - chromeRows)
        guard rect.height > chromeRows, rect.width > 0 else { return viewport }
        let widths = columnWidths(rect.width)
        let column = SessionColumn.all[settings.sortColumn]
        var title = [
            StyledRun(" sessions \(rows.count) of \(panes.count)", CellStyle(.accent, bold: true)),
            StyledRun(" · sort \(column.title) \(settings.descending ? "▼" : "▲")", CellStyle(.muted)),
        ]
        if let filter = settings.filter {
            title.append(StyledRun(" · filter: " + TextSanitizer.sanitize(filter.source) + " ", CellStyle(.accent, reverse: true)))
        }
        title.append(StyledRun("  / filter  < > sort  ~ reverse  Enter open  t grid", CellStyle(.muted)))
        buffer.write(title, x: rect.x, y: rect.y, limit: rect.maxX)

        let heading = CellStyle(.plain, bold: true, reverse: true)
        buffer.fill(Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: 1), style: heading)
        var x = rect.x
        for (index, column) in SessionColumn.all.enumerated() where x < rect.maxX && widths[index] > 0 {
            let marker = index == settings.sortColumn ? (settings.descending ? "▼" : "▲") : ""
            buffer.write(column.title + marker, x: x, y: rect.y + 1, style: heading, limit: min(rect.maxX, x + widths[index]))
            x += widths[index] + 1
        }

        let selected = rows.firstIndex(of: focus)
        let first = viewport > 0 ? ((selected ?? 0) / viewport) * viewport : 0
        for (line, row) in rows[first..<min(rows.count, first + viewport)].enumerated() {
            let y = rect.y + chromeRows + line
            let isSelected = row == focus
            if isSelected { buffer.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: CellStyle(.focus, bold: true, reverse: true)) }
            drawRow(panes[row], y: y, x: rect.x, widths: widths, selected: isSelected, limit: rect.maxX, into: &buffer)
        }
        if rows.isEmpty {
            buffer.write(
                settings.filter == nil ? "no sessions" : "no session matches the filter · Esc clears it", x: rect.x + 1, y: rect.y + chromeRows,
                style: CellStyle(.muted), limit: rect.maxX)
        }
        return viewport
    }

    /// Each column's width on a screen `width` wide, 0 for a column left out: the name column
    /// takes what is spare, and on a narrow screen gives up cells first (down to
    /// ``SessionColumn/flexibleMinimum``); then whole columns give way in
    /// ``SessionColumn/givingWay`` order, so no column is shown cut.
    package static func columnWidths(_ width: Int) -> [Int] {
        var widths = SessionColumn.all.map(\.width)
        func used() -> Int { widths.reduce(0) { $0 + ($1 > 0 ? $1 + 1 : 0) } - 1 }
        let spare = width - used()
        let flexible = SessionColumn.flexible
        widths[flexible] = max(SessionColumn.flexibleMinimum, widths[flexible] + spare)
        for column in SessionColumn.givingWay where used() > width { widths[column] = 0 }
        return widths
    }

    private static func drawRow(_ pane: PaneFrame, y: Int, x: Int, widths: [Int], selected: Bool, limit: Int, into buffer: inout CellBuffer) {
        var x = x
        for (index, column) in SessionColumn.all.enumerated() where x < limit && widths[index] > 0 {
            let cell = column.value(pane)
            let text = cell.text
            let style: CellStyle =
                if selected { CellStyle(.focus, bold: true, reverse: true) } else {
                    switch cell {
                    case .phase(let phase): CellStyle(PhaseBadge.tint(phase), bold: true)
                    case .number(let count) where count > 0 && column.warns: CellStyle(.error, bold: true)
                    default: .plain
                    }
                }
            let end = min(limit, x + widths[index])
            let pad = cell.isNumeric ? max(0, widths[index] - CellWidth.of(text)) : 0
            buffer.write(text, x: x + pad, y: y, style: style, limit: end)
            x += widths[index] + 1
        }
    }
}
