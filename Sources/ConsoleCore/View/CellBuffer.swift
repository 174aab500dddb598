/// A grid of styled cells: what the view draws and what the terminal copies to the screen.
///
/// A wide character takes its cell and a continuation cell after it. Writing never splits one:
/// a wide character that would cross the right edge is replaced by a blank, and overwriting
/// either half of a wide character blanks the other half.
package struct CellBuffer: Equatable, Sendable {
    /// One screen cell.
    package struct Cell: Equatable, Sendable {
        package var character: Character
        package var style: CellStyle
        /// The right half of the wide character in the cell before.
        package var isContinuation: Bool

        package static let blank = Cell(character: " ", style: .plain, isContinuation: false)
    }

    /// Every ASCII character, so the fast path builds none.
    private static let ascii: [Character] = (0..<128).map { Character(Unicode.Scalar(UInt8($0))) }

    package let width: Int
    package let height: Int
    private(set) var cells: [Cell]

    package init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    package subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes `text` from column `x` on row `y`, clipped at `limit` (default: the right edge).
    /// Returns the column after the last cell written.
    @discardableResult
    package mutating func write<S: StringProtocol>(_ text: S, x: Int, y: Int, style: CellStyle = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let end = min(limit ?? width, width)
        var column = x
        // ASCII needs no grapheme breaking: take bytes directly while the next byte is ASCII
        // too (a combining mark after a letter belongs to that letter's cluster).
        let bytes = text.utf8
        var index = bytes.startIndex
        while index < bytes.endIndex, column < end, column >= 0 {
            let byte = bytes[index]
            let next = bytes.index(after: index)
            guard byte < 0x80, next == bytes.endIndex || bytes[next] < 0x80 else { break }
            if byte >= 0x20 && byte < 0x7F {
                put(Cell(character: Self.ascii[Int(byte)], style: style, isContinuation: false), x: column, y: y)
                column += 1
            }
            index = next
        }
        if index == bytes.endIndex || column >= end { return column }
        for character in text[index...] {
            if column >= end { break }
            let cellWidth = CellWidth.of(character)
            if cellWidth == 0 { continue }  // combining marks arrive pre-composed in their cluster
            if column + cellWidth > end {
                while column < end {
                    put(Cell(character: " ", style: style, isContinuation: false), x: column, y: y)
                    column += 1
                }
                break
            }
            if column >= 0 {
                put(Cell(character: character, style: style, isContinuation: false), x: column, y: y)
                if cellWidth == 2 { put(Cell(character: " ", style: style, isContinuation: true), x: column + 1, y: y) }
            }
            column += cellWidth
        }
        return column
    }

    /// Fills a rectangle with one character (narrow) in one style.
    package mutating func fill(_ rect: Rect, with character: Character = " ", style: CellStyle = .plain) {
        let x0 = max(0, rect.x), x1 = min(width, rect.maxX)
        let y0 = max(0, rect.y), y1 = min(height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        let cell = Cell(character: character, style: style, isContinuation: false)
        for y in y0..<y1 {
            for x in x0..<x1 { put(cell, x: x, y: y) }
        }
    }

    /// Dims every cell of a rectangle, keeping its text and colours.
    package mutating func dim(_ rect: Rect) {
        let x0 = max(0, rect.x), x1 = min(width, rect.maxX)
        let y0 = max(0, rect.y), y1 = min(height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 { cells[y * width + x].style.dim = true }
        }
    }

    /// Sets one cell, blanking the other half of any wide character it cuts.
    private mutating func put(_ cell: Cell, x: Int, y: Int) {
        guard x >= 0, x < width else { return }
        let index = y * width + x
        if cells[index].isContinuation, !cell.isContinuation, x > 0 {
            cells[index - 1].character = " "
        }
        if x + 1 < width, cells[index + 1].isContinuation {
            cells[index + 1].isContinuation = false
        }
        cells[index] = cell
    }

    /// Row `y` as text, continuation cells left out (so a wide character reads once).
    package func line(_ y: Int) -> String {
        var text = ""
        text.reserveCapacity(width)
        for x in 0..<width where !self[x, y].isContinuation {
            text.append(self[x, y].character)
        }
        return text
    }

    /// Every row as text; what tests assert on.
    package var lines: [String] { (0..<height).map(line) }

    /// The stretches of `region`, row by row, whose cells differ from `old` (same size assumed):
    /// what a terminal that shows `old` must rewrite to show this buffer. A stretch never
    /// starts or ends inside a wide character, and stretches closer than a few cells are one
    /// (rewriting a short gap is cheaper than another cursor move).
    package func changedSpans(in region: Rect, from old: CellBuffer) -> [(y: Int, columns: Range<Int>)] {
        let x0 = max(0, region.x), x1 = min(width, region.maxX)
        guard x0 < x1 else { return [] }
        var spans: [(y: Int, columns: Range<Int>)] = []
        for y in max(0, region.y)..<min(height, region.maxY) {
            let row = y * width
            var x = x0
            while x < x1 {
                guard cells[row + x] != old.cells[row + x] else {
                    x += 1
                    continue
                }
                var start = x
                var end = x + 1
                var gap = 0
                x += 1
                while x < x1, gap <= Self.spanGap {
                    if cells[row + x] != old.cells[row + x] {
                        end = x + 1
                        gap = 0
                    } else {
                        gap += 1
                    }
                    x += 1
                }
                x = end
                // Whole wide characters, in both the new cells and the ones they replace.
                while start > 0, cells[row + start].isContinuation || old.cells[row + start].isContinuation { start -= 1 }
                while end < width, cells[row + end].isContinuation || old.cells[row + end].isContinuation { end += 1 }
                if let last = spans.last, last.y == y, last.columns.upperBound >= start {
                    spans[spans.count - 1].columns = last.columns.lowerBound..<max(end, last.columns.upperBound)
                } else {
                    spans.append((y, start..<end))
                }
                x = max(x, end)
            }
        }
        return spans
    }

    /// Equal cells that a changed stretch runs through rather than end at.
    private static let spanGap = 3

    /// Copies the cells of `columns` from row `source` to row `target`: a pane's lines moving up
    /// as new ones arrive are moved rather than written again. Wide characters must lie wholly
    /// inside `columns`, as they do inside a pane.
    package mutating func copy(columns: Range<Int>, fromRow source: Int, toRow target: Int) {
        for x in columns { cells[target * width + x] = cells[source * width + x] }
    }

    /// Copies row `y`'s `columns` from `other` (same size assumed), cell for cell.
    package mutating func copy(row y: Int, columns: Range<Int>, from other: CellBuffer) {
        let row = y * width
        for x in columns { cells[row + x] = other.cells[row + x] }
    }
}
