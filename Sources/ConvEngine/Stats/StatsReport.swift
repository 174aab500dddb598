/// `convtui stats`: per-session and overall latency percentiles, turns, interruption rate,
/// errors and alerts of a set of logs, as a table (with a histogram), Markdown or JSON.
public struct StatsReport: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case table, markdown, json
    }

    public let sessions: [LogStats]

    public init(_ sessions: [LogStats]) {
        self.sessions = sessions
    }

    /// Every session's figures added up.
    public var overall: (turns: Int, interruptions: Int, errors: Int, alerts: Int, latency: LatencyDistribution) {
        var latency = LatencyDistribution()
        for session in sessions { latency.add(session.latency) }
        return (
            sessions.reduce(0) { $0 + $1.turns }, sessions.reduce(0) { $0 + $1.interruptions }, sessions.reduce(0) { $0 + $1.errors },
            sessions.reduce(0) { $0 + $1.alerts }, latency
        )
    }

    private static let columns = ["session", "turns", "p50", "p90", "p95", "p99", "max", "int/turn", "errors", "alerts"]

    private static func row(_ label: String, turns: Int, interruptions: Int, errors: Int, alerts: Int, _ latency: LatencyDistribution) -> [String] {
        func ms(_ value: Int?) -> String { value.map(String.init) ?? "-" }
        let rate = turns == 0 ? "-" : String(format2: Double(interruptions) / Double(turns))
        return [
            label, String(turns), ms(latency.percentile(50)), ms(latency.percentile(90)), ms(latency.percentile(95)),
            ms(latency.percentile(99)), ms(latency.max), rate, String(errors), String(alerts),
        ]
    }

    private var rows: [[String]] {
        let total = overall
        return sessions.map {
            Self.row("\($0.session) \($0.name)", turns: $0.turns, interruptions: $0.interruptions, errors: $0.errors, alerts: $0.alerts, $0.latency)
        } + [Self.row("all", turns: total.turns, interruptions: total.interruptions, errors: total.errors, alerts: total.alerts, total.latency)]
    }

    /// The report in `format`, ending in a newline.
    public func render(_ format: Format, width: Int = 80) -> String {
        switch format {
        case .json: return json + "\n"
        case .markdown:
            var out = "| \(Self.columns.joined(separator: " | ")) |\n|---|\(Self.columns.dropFirst().map { _ in "---:" }.joined(separator: "|"))|\n"
            for row in rows { out += "| \(row.map(TranscriptExport.markdownEscaped).joined(separator: " | ")) |\n" }
            return out + "\nLatency in ms (voice-to-voice, or time to first text without agent audio).\n"
        case .table:
            let table = [Self.columns] + rows
            let widths = Self.columns.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
            var out = ""
            for line in table {
                let cells = line.enumerated().map { i, cell in
                    i == 0 ? cell + String(repeating: " ", count: widths[i] - cell.count) : String(repeating: " ", count: widths[i] - cell.count) + cell
                }
                out += cells.joined(separator: "  ") + "\n"
            }
            return out + "\n" + histogram(width: width)
        }
    }

    /// The overall latencies as horizontal bars, at most 12 buckets.
    public func histogram(width: Int) -> String {
        let latency = overall.latency
        guard let max = latency.max else { return "no turns\n" }
        let step = Swift.max(50, ((max / 12) + 49) / 50 * 50)
        let buckets = latency.buckets(width: step, limit: 12)
        let top = buckets.max() ?? 1
        let labelWidth = String((buckets.count) * step).count * 2 + 4
        let room = Swift.max(10, width - labelWidth - 10)
        var out = "latency (ms)\n"
        for (i, count) in buckets.enumerated() {
            let label = i == buckets.count - 1 && buckets.count == 12 ? "\(i * step)+" : "\(i * step)-\((i + 1) * step)"
            let bar = String(repeating: "█", count: count == 0 ? 0 : Swift.max(1, count * room / Swift.max(1, top)))
            out += label.padding(toLength: labelWidth) + " " + bar + " \(count)\n"
        }
        return out
    }

    /// One JSON object: `sessions` (each with `latency_ms` percentiles) and `overall`.
    public var json: String {
        func figures(turns: Int, interruptions: Int, errors: Int, alerts: Int, _ latency: LatencyDistribution) -> [(String, JSONValue)] {
            [
                ("turns", .int(turns)), ("interruptions", .int(interruptions)),
                ("interruption_rate", .number(turns == 0 ? 0 : Double(interruptions) / Double(turns))), ("errors", .int(errors)),
                ("alerts", .int(alerts)), ("latency_ms", latency.json),
            ]
        }
        let total = overall
        let value: JSONValue = .object([
            ("type", "stats"),
            (
                "sessions",
                .array(
                    sessions.map { s in
                        .object(
                            [("path", .string(s.path)), ("session", .int(s.session)), ("name", .string(s.name)), ("backend", .string(s.backend)), ("runs", .int(s.runs))]
                                + figures(turns: s.turns, interruptions: s.interruptions, errors: s.errors, alerts: s.alerts, s.latency))
                    })
            ),
            ("overall", .object([("logs", .int(sessions.count))] + figures(turns: total.turns, interruptions: total.interruptions, errors: total.errors, alerts: total.alerts, total.latency))),
        ])
        var out: [UInt8] = []
        JSONWriter.write(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// The string padded with spaces on the right to `length` characters.
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
