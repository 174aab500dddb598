import ArgumentParser
import ConvEngine

extension StatsReport.Format: ExpressibleByArgument {}

/// `convtui stats LOG...`: latency distributions and trouble counts over session logs.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Latency percentiles, turns, interruptions, errors and alerts of session logs.",
        discussion: """
            Per session and overall: turns, turn latency p50/p90/p95/p99/max in ms \
            (voice-to-voice, or time to first text without agent audio), interruptions per turn, \
            errors and alerts raised; the table ends with a histogram of all latencies. Reads \
            the `turn_metrics` and `alert` lines of version 2 logs without parsing the others \
            (their fixed prefix says their type), one log per core at a time; version 1 logs \
            are measured again from their events. Lines that are not events (corrupt, or a \
            torn last line) are skipped and named on stderr with their line numbers. A log \
            that cannot be read is named on stderr and the exit status is 1.
            """)

    @Argument(help: ArgumentHelp("Session logs (.jsonl).", valueName: "log"))
    var logs: [String]

    @Option(help: "table, markdown or json.")
    var format: StatsReport.Format = .table

    func validate() throws {
        guard !logs.isEmpty else { throw ValidationError("name at least one log") }
    }

    func run() throws {
        let output = HeadlessOutput()
        var sessions: [LogStats] = []
        var failed = false
        for (path, result) in zip(logs, LogStats.read(logs)) {
            let shown = TextSanitizer.sanitize(path)
            switch result {
            case .success(let stats):
                sessions.append(stats)
                for problem in stats.problems.prefix(Self.problemsShown) { output.diagnostic("convtui: \(shown): \(problem)") }
                let more = stats.problemCount - min(stats.problemCount, Self.problemsShown)
                if more > 0 { output.diagnostic("convtui: \(shown): \(more) more line\(more == 1 ? "" : "s") skipped (convtui log check lists them)") }
            case .failure(let error):
                output.diagnostic("convtui: \(shown): \(error)")
                failed = true
            }
        }
        let report = StatsReport(sessions).render(format)
        output.line(String(report.dropLast()))
        if failed { throw ExitCode.failure }
    }

    /// Skipped lines named per log on stderr; the rest are counted.
    static let problemsShown = 3
}
