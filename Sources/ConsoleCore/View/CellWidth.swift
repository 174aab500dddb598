/// How many terminal cells a character takes: 2 for East Asian Wide/Fullwidth characters and
/// emoji shown as pictures, 0 for combining marks, 1 otherwise.
///
/// Computed here from Unicode data rather than with `wcwidth`, so the view is a pure function
/// that tests can run under any locale. The ranges follow glibc's table (which ncurses uses), so
/// the cursor the terminal moves and the cells we count agree.
package enum CellWidth {
    /// Width of one grapheme cluster: the width of its base scalar, or 2 when an emoji
    /// presentation selector makes it a picture.
    package static func of(_ character: Character) -> Int {
        if let ascii = character.asciiValue {
            return ascii >= 0x20 && ascii < 0x7F ? 1 : 0
        }
        var scalars = character.unicodeScalars.makeIterator()
        guard let first = scalars.next() else { return 0 }
        var width = of(first)
        while let next = scalars.next() {
            if next.value == 0xFE0F, width == 1 { width = 2 }
        }
        return width
    }

    /// Width of one scalar on its own.
    package static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x7F { return v >= 0x20 ? 1 : 0 }
        if v < 0xA0 { return 0 }
        if v < 0x300 { return 1 }
        // The bulk of wide text (CJK ideographs, Hangul syllables, CJK punctuation, fullwidth
        // forms) needs no property lookup.
        if (0x4E00...0x9FFF).contains(v) || (0xAC00...0xD7A3).contains(v) || (0x3001...0x3029).contains(v) || (0xFF01...0xFF60).contains(v) {
            return 2
        }
        // Box drawing and block elements (every pane border, the streaming marker) are narrow
        // and neither marks nor emoji; they are most non-ASCII cells of a frame.
        if (0x2500...0x259F).contains(v) { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0x1160...0x11FF).contains(v) { return 0 }  // Hangul medial vowels and final consonants join the syllable
        if isWide(v) || scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// Total width of a string.
    package static func of<S: StringProtocol>(_ text: S) -> Int {
        // ASCII needs no grapheme breaking: a byte is a cell unless it is a control.
        var total = 0
        for byte in text.utf8 {
            guard byte < 0x80 else {
                total = 0
                for character in text { total += of(character) }
                return total
            }
            if byte >= 0x20 && byte < 0x7F { total += 1 }
        }
        return total
    }

    /// `text` whole if it takes at most `width` cells, else its first characters and `…` in
    /// `width` cells (a wide character that would be split is left out).
    package static func cut(_ text: String, to width: Int) -> String {
        guard of(text) > width else { return text }
        var kept = ""
        var used = 0
        for character in text {
            let cells = of(character)
            if used + cells + 1 > width { break }
            kept.append(character)
            used += cells
        }
        return width > 0 ? kept + "…" : ""
    }

    /// East Asian Wide and Fullwidth blocks (Unicode 15).
    private static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
            0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
            0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
            0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
