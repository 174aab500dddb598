/// Turns a session's events into an export, streaming: memory stays flat however long the log
/// (but for the per-turn table at the end, a few numbers per turn).
///
/// The transcript is the reducer's own (``SessionState``), so an export reads exactly like the
/// pane did. The reducer only ever revises the newest few entries (a streamed reply, a
/// correction, an interruption), so an entry is written once it is ``settleDistance`` entries
/// old, and the rest when the log ends.
public struct TranscriptExport {
    public let format: ExportFormat
    public let header: SessionLogHeader
    /// `jsonl` lines start with the log's session number and name (a combined export of several logs).
    public var namesSession = false
    private var state: SessionState
    /// Sequence number of the last entry written.
    private var written = 0
    /// Completed turns, written as a table at the end.
    private var turns = TurnTable()

    /// Entries this far behind the newest can no longer change (the reducer's longest lookback).
    static let settleDistance = max(SessionState.responseLookback, TranscriptEntry.correctionLookback)

    public init(header: SessionLogHeader, format: ExportFormat) {
        self.header = header
        self.format = format
        state = SessionState(backend: header.backend, transcriptCapacity: 4 * Self.settleDistance, eventCapacity: 1)
    }

    /// The title block (nothing for `jsonl`).
    public func begin(into out: inout [UInt8]) {
        let started = WallClock.iso8601(micros: header.startedAtMicros)
        switch format {
        case .markdown:
            out += Array("# Session \(header.sessionNumber): \(Self.markdownEscaped(header.sessionName))\n\n".utf8)
            out += Array("- Backend: \(Self.markdownEscaped(header.backend))\n- Recorded: \(started)\n".utf8)
        case .text:
            out += Array("Session \(header.sessionNumber): \(header.sessionName) (\(header.backend)), recorded \(started)\n".utf8)
        case .jsonl:
            break
        }
    }

    /// Takes the next event; writes whatever became final.
    public mutating func consume(_ event: SessionEvent, into out: inout [UInt8]) {
        guard format != .jsonl else {
            event.writeLogLine(into: &out, session: namesSession ? (header.sessionNumber, header.sessionName) : nil)
            out.append(0x0A)
            return
        }
        let turnsBefore = state.metrics.turns
        state.apply(event)
        if state.metrics.turns > turnsBefore, let turn = state.metrics.lastTurn { turns.append(run: event.run, turn) }
        writeEntries(upTo: state.transcript.totalAppended - Self.settleDistance, into: &out)
    }

    /// Writes what is left once the log has ended.
    public mutating func finish(into out: inout [UInt8]) {
        writeEntries(upTo: state.transcript.totalAppended, into: &out)
        turns.write(format, into: &out)
    }

    private mutating func writeEntries(upTo last: Int, into out: inout [UInt8]) {
        let transcript = state.transcript
        let firstInRing = transcript.totalAppended - transcript.count + 1
        while written < last {
            written += 1
            write(transcript[written - firstInRing], into: &out)
        }
    }

    private func write(_ entry: TranscriptEntry, into out: inout [UInt8]) {
        let stamp = ElapsedTimeText.clock(entry.offset)
        let note = Self.statusNote(entry.status)
        switch format {
        case .markdown:
            let lines = entry.text.split(separator: "\n", omittingEmptySubsequences: false).map { Self.markdownEscaped(String($0)) }
            let label = "**\(stamp) · \(entry.role.rawValue)**" + (note.map { " *(\($0))*" } ?? "")
            out += Array("\n\(label) · \(lines.joined(separator: "  \n"))\n".utf8)
        case .text:
            let lines = entry.text.split(separator: "\n", omittingEmptySubsequences: false)
            let label = "[\(stamp)] \(entry.role.rawValue)" + (note.map { " (\($0))" } ?? "")
            out += Array("\(label): \(lines.joined(separator: "\n    "))\n".utf8)
        case .jsonl:
            break
        }
    }

    /// What a reader should know about an entry's status; nothing for a plain final one.
    private static func statusNote(_ status: TranscriptEntry.Status) -> String? {
        switch status {
        case .final: nil
        case .interrupted: "interrupted"
        case .tentative: "tentative"
        case .streaming: "incomplete"
        }
    }

    /// `text` with the characters Markdown would act on escaped, so a transcript shows what
    /// was said rather than formatting it.
    static func markdownEscaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            if "\\`*_[]<>#|~".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}

extension TranscriptExport {
    /// Exports the log at `path`, handing the output to `write` in chunks.
    /// - Returns: the log's line problems (the export holds every readable event).
    /// - Throws: when the file is not a usable log.
    public static func export(
        path: String, format: ExportFormat, write: ([UInt8]) -> Void
    ) throws(LogFormatError) -> [LogProblem] {
        var scanner = try LineScanner(path: path)
        let header = try SessionLogReader.readHeader(&scanner)
        return export(after: &scanner, header: header, format: format, write: write)
    }

    /// Exports the events after the header that `scanner` has read (`header`), in the same
    /// pass: the input is read once, so a FIFO works. `namingSession`: see ``namesSession``.
    public static func export(
        after scanner: inout LineScanner, header: SessionLogHeader, format: ExportFormat, namingSession: Bool = false,
        write: ([UInt8]) -> Void
    ) -> [LogProblem] {
        var export = TranscriptExport(header: header, format: format)
        export.namesSession = namingSession
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        export.begin(into: &out)
        let problems = SessionLogReader.forEachEvent(after: &scanner) { event in
            export.consume(event, into: &out)
            if out.count >= 1 << 16 {
                write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        export.finish(into: &out)
        if !out.isEmpty { write(out) }
        return problems
    }
}
