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
            the `turn_metrics` lines of version 2 logs without parsing the others; version 1 \
            logs are measured again from their events. A log that cannot be read is named on \
            stderr and the exit status is 1.
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
        for path in logs {
            do {
                sessions.append(try LogStats(path: path))
            } catch {
                output.diagnostic("convtui: \(TextSanitizer.sanitize(path)): \(error)")
                failed = true
            }
        }
        let report = StatsReport(sessions).render(format)
        output.line(String(report.dropLast()))
        if failed { throw ExitCode.failure }
    }
}
