import ConvEngine

/// Transcript entries laid out as wrapped, styled lines for a pane of a given width, with a
/// memo so that a frame only re-wraps what changed.
///
/// Snapshots share their strings' storage, so comparing an unchanged entry's text is a pointer
/// check. The streaming turn, the only one that usually changes, grows by appending: its lines
/// but the last are final, so only the last is wrapped again with the new text.
package struct TranscriptLines: Sendable {
    /// One entry's lines.
    fileprivate struct Wrapped: Sendable {
        let sequence: Int
        let text: String
        let status: TranscriptEntry.Status
        /// The text's wrapped pieces, without the role label or a marker.
        let pieces: [Substring]
        let lines: [[StyledRun]]
    }

    /// A pane's wrapped transcript: `count` lines, read by index.
    package struct Lines: Sendable {
        fileprivate var entries: [Wrapped] = []
        /// The index after each entry's last line.
        fileprivate var ends: [Int] = []
        /// Changes whenever the lines do (per pane), so a caller can tell them unchanged.
        private(set) var revision = 0

        package var count: Int { ends.last ?? 0 }

        package subscript(index: Int) -> [StyledRun] {
            // The entry holding line `index`: the first whose end lies beyond it.
            var low = 0
            var high = ends.count - 1
            while low < high {
                let middle = (low + high) / 2
                if ends[middle] > index { high = middle } else { low = middle + 1 }
            }
            let start = low == 0 ? 0 : ends[low - 1]
            return entries[low].lines[index - start]
        }
    }

    private struct PaneMemo: Sendable {
        var width = -1
        var version: UInt64 = 0
        var transcript: BoundedRing<TranscriptEntry>?
        var lines = Lines()
    }

    private var memos: [Int: PaneMemo] = [:]

    package init() {}

    /// The wrapped lines of pane `pane`'s transcript at `width` cells.
    package mutating func lines(pane: Int, snapshot: SessionSnapshot, version: UInt64, width: Int) -> Lines {
        // Taken out of the dictionary so that its arrays are changed in place.
        var memo = memos.removeValue(forKey: pane) ?? PaneMemo()
        defer { memos[pane] = memo }
        guard memo.width != width || memo.version != version else { return memo.lines }
        memo.version = version
        let transcript = snapshot.state.transcript
        // Most new versions bring audio, pings or VAD scores, not text: the transcript is then
        // the very ring drawn last time, which a constant-time identity test sees.
        if memo.width == width, let known = memo.transcript, known.isIdentical(to: transcript) { return memo.lines }
        if memo.width != width { (memo.lines.entries, memo.lines.ends) = ([], []) }
        // Entries in the chunks this ring still shares with the one drawn last are those
        // entries unchanged: only the entries after them are compared and laid out again.
        let shared = memo.transcript.map { transcript.sharedPrefixCount(with: $0) } ?? 0
        memo.width = width
        memo.transcript = transcript
        var entries = memo.lines.entries
        let oldEnds = memo.lines.ends
        let revision = memo.lines.revision + 1
        memo.lines = Lines()
        // The ring drops its oldest entries: so do the lines.
        let dropped = entries.prefix { $0.sequence < (transcript.first?.sequence ?? .max) }.count
        entries.removeFirst(dropped)
        let kept = min(shared, entries.count)
        let droppedLines = dropped == 0 ? 0 : oldEnds[dropped - 1]
        var ends = oldEnds[dropped..<dropped + kept].map { $0 - droppedLines }
        ends.reserveCapacity(transcript.count)
        for i in kept..<transcript.count {
            let entry = transcript[i]
            if i < entries.count {
                let known = entries[i]
                if known.sequence != entry.sequence || known.status != entry.status || known.text != entry.text {
                    entries[i] = Self.wrap(entry, width: width, growing: known.sequence == entry.sequence ? known : nil)
                }
            } else {
                entries.append(Self.wrap(entry, width: width, growing: nil))
            }
            ends.append((ends.last ?? 0) + entries[i].lines.count)
        }
        entries.removeLast(entries.count - transcript.count)
        memo.lines = Lines(entries: entries, ends: ends, revision: revision)
        return memo.lines
    }

    /// Indent of every line after an entry's first.
    package static let hangingIndent = "  "

    /// One entry: its role label, then the text word-wrapped with a hanging indent, then a
    /// marker for a turn still streaming or cut off by a barge-in.
    ///
    /// Label, indent and text share the role's style, so that a line is one run: a terminal
    /// redrawing it (the lines of a pane move up with every new line) needs one attribute
    /// change rather than three, which is most of what it writes besides the text.
    package static func layout(_ entry: TranscriptEntry, width: Int) -> [[StyledRun]] {
        wrap(entry, width: width, growing: nil).lines
    }

    /// Lays out `entry`; `growing` is the same entry laid out before, whose lines but the last
    /// are kept when the text only grew (a line ends only where the text after it overflowed,
    /// so appending never moves an earlier break).
    private static func wrap(_ entry: TranscriptEntry, width: Int, growing old: Wrapped?) -> Wrapped {
        let (label, tint) = role(entry.role)
        let style = CellStyle(tint, dim: entry.status == .tentative)
        let lineWidth = width - hangingIndent.count
        var pieces: [Substring]
        var lines: [[StyledRun]]
        if let old, old.status == entry.status, let last = old.pieces.last, entry.text.hasPrefix(old.text) {
            let offset = old.text.utf8.distance(from: old.text.startIndex, to: last.startIndex)
            let start = entry.text.utf8.index(entry.text.startIndex, offsetBy: offset)
            let firstWidth = old.pieces.count == 1 ? width - CellWidth.of(label) : lineWidth
            pieces = Array(old.pieces.dropLast())
            lines = Array(old.lines.prefix(pieces.count))
            pieces += Self.pieces(entry.text[start...], firstWidth: firstWidth, width: lineWidth)
        } else {
            pieces = Self.pieces(entry.text[...], firstWidth: width - CellWidth.of(label), width: lineWidth)
            lines = []
        }
        for piece in pieces[lines.count...] {
            lines.append([StyledRun(lines.isEmpty ? label : hangingIndent, style), StyledRun(piece, style)])
        }
        let marker: StyledRun? =
            switch entry.status {
            case .streaming: StyledRun("▌", style)
            case .interrupted: StyledRun(" ⟂ interrupted", CellStyle(.error, bold: true))
            case .tentative, .final: nil
            }
        if let marker {
            let used = lines.last.map { $0.reduce(0) { $0 + CellWidth.of($1.text) } } ?? 0
            if used + CellWidth.of(marker.text) <= width, !lines.isEmpty {
                lines[lines.count - 1].append(marker)
            } else {
                var alone = marker
                alone.text = alone.text.drop { $0 == " " }
                lines.append([StyledRun(hangingIndent, style), alone])
            }
        }
        return Wrapped(sequence: entry.sequence, text: entry.text, status: entry.status, pieces: pieces, lines: lines)
    }

    /// The text's lines: the first at most `firstWidth` cells, the rest at most `width`.
    private static func pieces(_ text: Substring, firstWidth: Int, width: Int) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var previous: UInt8 = 0
        // A line feed is a character of its own unless it ends a CR LF pair, so the paragraphs
        // are found on bytes, without breaking the whole text into grapheme clusters.
        for index in text.utf8.indices {
            let byte = text.utf8[index]
            defer { previous = byte }
            guard byte == 0x0A, previous != 0x0D else { continue }
            pieces += TextWrap.wrap(text[start..<index], firstWidth: pieces.isEmpty ? firstWidth : width, width: width)
            start = text.utf8.index(after: index)
        }
        pieces += TextWrap.wrap(text[start...], firstWidth: pieces.isEmpty ? firstWidth : width, width: width)
        return pieces
    }

    private static func role(_ role: TranscriptEntry.Role) -> (String, CellStyle.Tint) {
        switch role {
        case .user: ("you: ", .user)
        case .operator: ("op: ", .user)
        case .agent: ("agent: ", .agent)
        case .tool: ("tool: ", .tool)
        case .system: ("· ", .system)
        case .error: ("error: ", .error)
        }
    }
}
