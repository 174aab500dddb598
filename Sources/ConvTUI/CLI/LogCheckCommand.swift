import ArgumentParser
import ConvEngine

/// `convtui log check`: validates session logs line by line.
struct LogCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate session logs.",
        discussion: """
            Decodes every line of each log. Prints one line per good file (events, runs, \
            duration), or each problem with its line number: a bad header, corrupt lines, a torn \
            last line. Exits non-zero when any file has a problem.
            """)

    @Argument(help: ArgumentHelp("Session logs (.jsonl).", valueName: "log"))
    var logs: [String]

    func validate() throws {
        guard !logs.isEmpty else { throw ValidationError("name at least one log") }
    }

    func run() throws {
        let output = HeadlessOutput()
        var allOK = true
        for path in logs {
            let check = SessionLogCheck.run(path: path)
            for line in check.lines { output.line(line) }
            allOK = allOK && check.isOK
        }
        if !allOK { throw ExitCode.failure }
    }
}
