/// The per-turn table at the end of a Markdown or text export: one row per completed turn with
/// its stages in ms (measured again from the events, so v1 logs get one too).
struct TurnTable {
    private(set) var rows: [(run: Int, turn: TurnMetrics)] = []

    static let columns = [
        "run", "turn", "mode", "v2v", "endpointing", "asr", "first text", "first audio", "done", "reply audio", "interrupted",
        "talk-over", "tools", "ping",
    ]

    mutating func append(run: Int, _ turn: TurnMetrics) {
        rows.append((run, turn))
    }

    private static func cells(run: Int, _ t: TurnMetrics) -> [String] {
        func ms(_ value: Int?) -> String { value.map(String.init) ?? "-" }
        return [
            String(run), String(t.turn), t.mode.rawValue, ms(t.voiceToVoiceMs), ms(t.endpointingMs), ms(t.transcriptMs), ms(t.firstTextMs),
            ms(t.firstAudioMs), ms(t.doneMs), String(t.agentAudioMs), t.interrupted ? "yes" + (t.heardMs.map { " (heard \($0))" } ?? "") : "no",
            ms(t.talkOverMs), t.toolMs.isEmpty ? "-" : t.toolMs.map(String.init).joined(separator: "/"), ms(t.pingMs),
        ]
    }

    /// The table in `format` (nothing without turns, or for `jsonl`, whose lines carry `turn_metrics`).
    func write(_ format: ExportFormat, into out: inout [UInt8]) {
        guard !rows.isEmpty else { return }
        switch format {
        case .markdown:
            out += Array("\n## Turns (ms)\n\n| \(Self.columns.joined(separator: " | ")) |\n".utf8)
            out += Array("|\(Self.columns.map { _ in "---:" }.joined(separator: "|"))|\n".utf8)
            for row in rows { out += Array("| \(Self.cells(run: row.run, row.turn).joined(separator: " | ")) |\n".utf8) }
        case .text:
            let table = [Self.columns] + rows.map { Self.cells(run: $0.run, $0.turn) }
            let widths = Self.columns.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
            out += Array("\nTurns (ms)\n".utf8)
            for line in table {
                let padded = line.enumerated().map { String(repeating: " ", count: widths[$0.offset] - $0.element.count) + $0.element }
                out += Array("\(padded.joined(separator: "  "))\n".utf8)
            }
        case .jsonl:
            break
        }
    }
}
