import ArgumentParser

/// The `convtui` command: with no subcommand it runs the demo.
@main
struct ConvTUICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convtui",
        abstract: "A terminal console for several live AI conversations at once, one per pane.",
        discussion: """
            With no subcommand, runs `convtui demo`: the full-screen console on simulated sessions, no keys, no network.
            Every session is recorded as a JSON-lines log (see docs/log-format.md).
            """,
        version: "0.1.0",
        subcommands: [
            DemoCommand.self, RunCommand.self, SimServerCommand.self, ReplayCommand.self, ExportCommand.self, LogCommand.self, StatsCommand.self, AgentCommand.self, AttachCommand.self,
        ],
        defaultSubcommand: DemoCommand.self
    )
}
