/// Marks a search's matches in a drawn line: the runs are split where a match starts and
/// ends, and the matched stretches drawn reversed, so a match shows with or without colour.
/// Splitting is by characters, never by cells, so a wide (CJK) character or a combining
/// mark is never cut.
package enum SearchHighlight {
    package static let style = CellStyle(.accent, bold: true, reverse: true)

    /// The line's text, as the pattern sees it.
    package static func text(_ line: [StyledRun]) -> String {
        line.reduce(into: "") { $0 += $1.text }
    }

    /// `line` with the matches of `pattern` highlighted.
    package static func apply(_ pattern: TextMatcher, to line: [StyledRun]) -> [StyledRun] {
        let joined = text(line)
        // Runs joined can merge characters at a seam (a run that starts with a combining
        // mark): then offsets in the joined text do not fit the runs, and each run is
        // searched on its own.
        guard line.reduce(0, { $0 + $1.text.count }) == joined.count else {
            return line.flatMap { apply(pattern, to: [$0]) }
        }
        let matches = pattern.ranges(in: joined[...]).map { range in
            (joined.distance(from: joined.startIndex, to: range.lowerBound), joined.distance(from: joined.startIndex, to: range.upperBound))
        }
        guard !matches.isEmpty else { return line }
        var result: [StyledRun] = []
        var offset = 0
        for run in line {
            let characters = Array(run.text)
            var start = 0
            while start < characters.count {
                let at = offset + start
                let end: Int
                let style: CellStyle
                if let match = matches.first(where: { $0.0 <= at && at < $0.1 }) {
                    end = min(characters.count, match.1 - offset)
                    style = Self.style
                } else {
                    end = min(characters.count, (matches.first { $0.0 > at }?.0 ?? Int.max) - offset)
                    style = run.style
                }
                result.append(StyledRun(String(characters[start..<end]), style))
                start = end
            }
            offset += characters.count
        }
        return result
    }
}
