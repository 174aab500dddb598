import ConvEngine

/// Transcript entries laid out as wrapped, styled lines for a pane of a given width, with a
/// memo so that a frame only re-wraps entries that changed.
///
/// Snapshots share their strings' storage, so comparing an unchanged entry's text is a pointer
/// check; the streaming turn, the only one that usually grows, is the only one re-wrapped.
struct TranscriptLines: Sendable {
    private struct Wrapped: Sendable {
        let text: String
        let status: TranscriptEntry.Status
        let lines: [[StyledRun]]
    }

    private struct PaneMemo: Sendable {
        var width = -1
        var version: UInt64 = 0
        var transcript: BoundedRing<TranscriptEntry>?
        var entries: [Int: Wrapped] = [:]
        var lines: [[StyledRun]] = []
    }

    private var memos: [Int: PaneMemo] = [:]

    init() {}

    /// The wrapped lines of pane `pane`'s transcript at `width` cells.
    mutating func lines(pane: Int, snapshot: SessionSnapshot, version: UInt64, width: Int) -> [[StyledRun]] {
        var memo = memos[pane] ?? PaneMemo()
        guard memo.width != width || memo.version != version else { return memo.lines }
        // Most new versions bring audio, pings or VAD scores, not text: the transcript is then
        // the very ring drawn last time, which a constant-time identity test sees.
        if memo.width == width, let known = memo.transcript, known.isIdentical(to: snapshot.state.transcript) {
            memos[pane]?.version = version
            return memo.lines
        }
        if memo.width != width { memo.entries = [:] }
        var entries: [Int: Wrapped] = [:]
        entries.reserveCapacity(snapshot.state.transcript.count)
        var lines: [[StyledRun]] = []
        for entry in snapshot.state.transcript {
            let wrapped: Wrapped
            if let known = memo.entries[entry.sequence], known.status == entry.status, known.text == entry.text {
                wrapped = known
            } else {
                wrapped = Wrapped(text: entry.text, status: entry.status, lines: Self.layout(entry, width: width))
            }
            entries[entry.sequence] = wrapped
            lines.append(contentsOf: wrapped.lines)
        }
        memo = PaneMemo(width: width, version: version, transcript: snapshot.state.transcript, entries: entries, lines: lines)
        memos[pane] = memo
        return lines
    }

    /// Indent of every line after an entry's first.
    static let hangingIndent = "  "

    /// One entry: its role label, then the text word-wrapped with a hanging indent, then a
    /// marker for a turn still streaming or cut off by a barge-in.
    ///
    /// Label, indent and text share the role's style, so that a line is one run: a terminal
    /// redrawing it (the lines of a pane move up with every new line) needs one attribute
    /// change rather than three, which is most of what it writes besides the text.
    static func layout(_ entry: TranscriptEntry, width: Int) -> [[StyledRun]] {
        let (label, tint) = role(entry.role)
        let style = CellStyle(tint, dim: entry.status == .tentative)
        var lines: [[StyledRun]] = []
        var first = true
        for paragraph in entry.text.split(separator: "\n", omittingEmptySubsequences: false) {
            let firstWidth = width - (first ? CellWidth.of(label) : hangingIndent.count)
            let pieces = TextWrap.wrap(paragraph, firstWidth: firstWidth, width: width - hangingIndent.count)
            for piece in pieces {
                lines.append([StyledRun(first ? label : hangingIndent, style), StyledRun(piece, style)])
                first = false
            }
        }
        let marker: StyledRun? =
            switch entry.status {
            case .streaming: StyledRun("▌", CellStyle(tint))
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
        return lines
    }

    private static func role(_ role: TranscriptEntry.Role) -> (String, CellStyle.Tint) {
        switch role {
        case .user: ("you: ", .user)
        case .agent: ("agent: ", .agent)
        case .tool: ("tool: ", .tool)
        case .system: ("· ", .system)
        case .error: ("error: ", .error)
        }
    }
}
