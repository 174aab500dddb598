/// A stretch of text in one style: the unit lines are built from.
package struct StyledRun: Equatable, Sendable {
    package var text: Substring
    package var style: CellStyle

    package init<S: StringProtocol>(_ text: S, _ style: CellStyle) {
        self.text = Substring(text)
        self.style = style
    }

    /// How many of `runs` a field row `room` cells wide shows whole: the first always (cut if
    /// need be), then each that still fits entirely, up to the first that does not.
    package static func wholeRunsFitting(_ runs: [StyledRun], room: Int) -> Int {
        var used = 0
        for (i, run) in runs.enumerated() {
            used += CellWidth.of(run.text)
            if i > 0, used > room { return i }
        }
        return runs.count
    }
}

extension CellBuffer {
    /// Writes runs one after another from column `x`, clipped at `limit`; returns the next column.
    @discardableResult
    package mutating func write(_ runs: [StyledRun], x: Int, y: Int, limit: Int) -> Int {
        var column = x
        for run in runs {
            if column >= limit { break }
            column = write(run.text, x: column, y: y, style: run.style, limit: limit)
        }
        return column
    }

    /// Writes runs like ``write(_:x:y:limit:)`` but leaves out, from the first run that would be
    /// cut, every run after the first: a header shows whole fields or none.
    @discardableResult
    package mutating func writeWholeRuns(_ runs: [StyledRun], x: Int, y: Int, limit: Int) -> Int {
        var column = x
        for run in runs.prefix(StyledRun.wholeRunsFitting(runs, room: limit - x)) {
            column = write(run.text, x: column, y: y, style: run.style, limit: limit)
        }
        return column
    }
}
