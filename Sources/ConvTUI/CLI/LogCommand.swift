import ArgumentParser

/// `convtui log`: tools for session log files.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Tools for session log files.",
        subcommands: [LogCheckCommand.self])
}
