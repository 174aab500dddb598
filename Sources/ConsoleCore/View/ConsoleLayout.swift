/// Where everything goes on the screen, as pure arithmetic on rectangles.
///
/// Rules (see docs/console.md):
/// - The bottom row is the status bar; above it an optional extra bar (a replay timeline) and,
///   while typing or confirming, a prompt row.
/// - With the inspector open, it takes the right two fifths of the rest on a wide screen
///   (≥ 100 columns), the bottom two fifths on a tall one, else all of it.
/// - Panes fill the remaining area in a grid chosen for the roundest panes. A pane is at least
///   ``minimumPane``; when not every pane fits, the grid is *paged*: as many panes as fit per
///   page, and the page shown is the one holding the focused pane (Tab walks through pages).
/// - The last grid row stretches its panes across the full width.
/// - Zoomed, the focused pane takes the whole pane area.
/// - With the session table shown (and not zoomed), the table takes the pane area.
package struct ConsoleLayout: Equatable, Sendable {
    /// A pane and where it is drawn.
    package struct PlacedPane: Equatable, Sendable {
        package let index: Int
        package let rect: Rect
    }

    package var panes: [PlacedPane] = []
    package var inspector: Rect?
    /// The session table, when it shows instead of the grid.
    package var table: Rect?
    package var prompt: Rect?
    package var extraBar: Rect?
    package var status: Rect
    /// Grid columns of the page shown, and how many panes a page holds.
    package var columns = 1
    package var panesPerPage = 1
    package var page = 0
    package var pageCount = 1
    /// Below ``minimumSize``: nothing but a message is drawn.
    package var isTooSmall = false

    package static let minimumSize = ScreenSize(width: 30, height: 8)
    package static let minimumPane = ScreenSize(width: 20, height: 5)

    package init(model: AppModel, extraBarHeight: Int = 0) {
        let size = model.size
        status = Rect(x: 0, y: size.height - 1, width: size.width, height: 1)
        guard size.width >= Self.minimumSize.width, size.height >= Self.minimumSize.height else {
            isTooSmall = true
            return
        }
        var bottom = size.height - 1
        if extraBarHeight > 0 {
            bottom -= extraBarHeight
            extraBar = Rect(x: 0, y: bottom, width: size.width, height: extraBarHeight)
        }
        switch model.mode {
        case .prompt, .confirm:
            bottom -= 1
            prompt = Rect(x: 0, y: bottom, width: size.width, height: 1)
        case .normal, .help, .alerts, .inspector, .eventTypes, .eventDetail:
            break
        }
        var area = Rect(x: 0, y: 0, width: size.width, height: bottom)
        if model.showsInspector {
            if area.width >= 100 {
                let width = area.width * 2 / 5
                inspector = Rect(x: area.maxX - width, y: area.y, width: width, height: area.height)
                area.width -= width
            } else if area.height >= 16 {
                let height = area.height * 2 / 5
                inspector = Rect(x: area.x, y: area.maxY - height, width: area.width, height: height)
                area.height -= height
            } else {
                inspector = area
                return
            }
        }
        if model.isZoomed {
            panes = [PlacedPane(index: model.focus, rect: area)]
            return
        }
        if model.showsTable {
            table = area
            return
        }
        placeGrid(count: model.paneCount, focus: model.focus, in: area)
    }

    private mutating func placeGrid(count: Int, focus: Int, in area: Rect) {
        let maxColumns = max(1, area.width / Self.minimumPane.width)
        let maxRows = max(1, area.height / Self.minimumPane.height)
        panesPerPage = min(count, maxColumns * maxRows)
        pageCount = (count + panesPerPage - 1) / panesPerPage
        page = min(focus / panesPerPage, pageCount - 1)
        let first = page * panesPerPage
        let onPage = min(panesPerPage, count - first)
        // The grid shape is chosen for a full page, so paging does not reshuffle panes.
        let (columns, _) = Self.bestGrid(count: panesPerPage, maxColumns: maxColumns, maxRows: maxRows, area: area)
        self.columns = columns
        let usedRows = (onPage + columns - 1) / columns
        for slot in 0..<onPage {
            let row = slot / columns
            let column = slot % columns
            let inRow = row == usedRows - 1 ? onPage - row * columns : columns
            let x0 = area.x + area.width * column / inRow
            let x1 = area.x + area.width * (column + 1) / inRow
            let y0 = area.y + area.height * row / usedRows
            let y1 = area.y + area.height * (row + 1) / usedRows
            panes.append(PlacedPane(index: first + slot, rect: Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)))
        }
    }

    /// The columns and rows that make `count` panes roundest (a cell is about twice as tall
    /// as wide), discounting grids that leave slots empty.
    package static func bestGrid(count: Int, maxColumns: Int, maxRows: Int, area: Rect) -> (columns: Int, rows: Int) {
        var best = (columns: 1, rows: max(1, count))
        var bestScore = -1.0
        for columns in 1...max(1, min(count, maxColumns)) {
            let rows = (count + columns - 1) / columns
            guard rows <= maxRows else { continue }
            let width = Double(area.width / columns)
            let height = Double(area.height / rows)
            let score = min(width / 2.5, height) * Double(count) / Double(columns * rows)
            if score > bestScore {
                bestScore = score
                best = (columns, rows)
            }
        }
        return best
    }
}
