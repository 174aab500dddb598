/// Word wrapping by display width.
///
/// Breaks after spaces; text without spaces (Chinese, Japanese) breaks between any two
/// characters; a word longer than the line breaks where it must. A wide character is never
/// split, because lines are cut between characters only.
package enum TextWrap {
    /// The lines of one paragraph (no newlines inside): the first at most `firstWidth` cells,
    /// the rest at most `width`. Trailing spaces at a break are dropped.
    package static func wrap(_ text: Substring, firstWidth: Int, width: Int) -> [Substring] {
        // Printable ASCII is a cell a byte and breaks only at spaces: its bytes give the lines
        // its characters would, without the cost of finding grapheme cluster boundaries.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return lines(of: text, units: text.utf8, firstWidth: firstWidth, width: width) { ($0 == 0x20, 1) } closes: { _ in false }
        }
        return wrapCharacters(text, firstWidth: firstWidth, width: width)
    }

    /// `wrap` by grapheme clusters, which it uses for anything but printable ASCII.
    package static func wrapCharacters(_ text: Substring, firstWidth: Int, width: Int) -> [Substring] {
        lines(of: text, units: text, firstWidth: firstWidth, width: width) { ($0 == " ", CellWidth.of($0)) } closes: {
            closingPunctuation.contains($0)
        }
    }

    /// The wrapping itself, over characters or (for ASCII) bytes of `text`: `measure` says
    /// whether a unit is a space and how many cells it takes, `closes` whether it is closing
    /// punctuation.
    private static func lines<Units: BidirectionalCollection>(
        of text: Substring, units: Units, firstWidth: Int, width: Int,
        measure: (Units.Element) -> (isSpace: Bool, width: Int), closes: (Units.Element) -> Bool
    ) -> [Substring] where Units.Index == String.Index {
        var lines: [Substring] = []
        var lineStart = text.startIndex
        var lineWidth = 0
        var limit = max(1, firstWidth)
        /// Where the current line may end, and where the next one then starts.
        var breakEnd: String.Index?
        var breakNext = text.startIndex
        /// The break before the last one in wide text, for punctuation that must not open a line.
        var earlierBreakEnd: String.Index?
        var earlierBreakNext = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let unit = units[index]
            let next = units.index(after: index)
            let (isSpace, cellWidth) = measure(unit)
            if isSpace {
                breakEnd = index
                breakNext = next
                lineWidth += cellWidth
                index = next
                continue
            }
            if breakEnd == index, closes(unit) {
                // Not before closing punctuation: a line never starts with "。".
                breakEnd = earlierBreakEnd
                breakNext = earlierBreakNext
            }
            if lineWidth + cellWidth > limit, index > lineStart {
                let end: String.Index
                if let candidate = breakEnd, candidate > lineStart {
                    end = candidate
                    index = breakNext
                } else {
                    end = index
                }
                lines.append(trimmingTrailingSpaces(text[lineStart..<end]))
                // Spaces that open the next line after a break carry no meaning.
                while index < text.endIndex, measure(units[index]).isSpace { index = units.index(after: index) }
                lineStart = index
                lineWidth = 0
                breakEnd = nil
                earlierBreakEnd = nil
                limit = max(1, width)
                continue
            }
            if cellWidth == 2 {
                // Wide scripts break between characters.
                earlierBreakEnd = breakEnd
                earlierBreakNext = breakNext
                breakEnd = next
                breakNext = next
            }
            lineWidth += cellWidth
            index = next
        }
        if lineStart < text.endIndex || lines.isEmpty {
            lines.append(trimmingTrailingSpaces(text[lineStart..<text.endIndex]))
        }
        return lines
    }

    /// Wide punctuation that closes a phrase and so stays on the line before.
    package static let closingPunctuation: Set<Character> = ["。", "，", "、", "！", "？", "：", "；", "）", "」", "』", "】", "》", "〉", "…"]

    private static func trimmingTrailingSpaces(_ line: Substring) -> Substring {
        var end = line.endIndex
        while end > line.startIndex, line[line.index(before: end)] == " " { end = line.index(before: end) }
        return line[line.startIndex..<end]
    }
}
