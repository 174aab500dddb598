import ArgumentParser
import ConsoleCore
import ConvEngine
import FleetAgent
import Foundation

/// `convtui attach URL...`: one console on the sessions of several agents, or with
/// `--headless` their merged watch streams as JSON lines, each with its agent's `host`
/// (docs/fleet.md).
struct AttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Watch and control running agents' sessions in one console (see docs/fleet.md); --headless prints their merged events.",
        discussion: """
            Each URL is an agent (http://HOST:PORT, https://…, ws://… or wss://…). The console shows one pane per \
            session of every agent, named NAME@HOST, with the keys of `convtui run` (start, stop, restart, send, context \
            and tool answers go to the agent; a control token is needed for them). A lost agent greys only its own \
            panes and is reconnected with backoff; quitting leaves the agents' sessions running. \
            With --headless, every event is printed as its headless \
            line with the agent's "seq" and a "host" field; a session's log header is printed once. A lost agent prints \
            {"type":"host_unreachable","host":…,"reason":…} and is retried with backoff and jitter; it resumes after \
            its last sequence number, so no event is lost or printed twice. A restarted agent (a new instance id) \
            starts again from 1, said in an "agent_restarted" line. The token is read from the environment variable \
            named by --token-env, never from the command line. Plain ws:// or http:// off loopback needs --insecure. \
            Runs until q, SIGINT, SIGTERM or SIGHUP (or --duration).
            """)

    @Argument(help: ArgumentHelp("Agents to follow.", valueName: "url"))
    var agents: [String]

    @Option(name: .customLong("token-env"), help: ArgumentHelp("Environment variable holding the token.", valueName: "var"))
    var tokenEnvironment = "CONVTUI_TOKEN"

    @Flag(name: .long, help: "No screen: print the merged events as JSON lines.")
    var headless = false

    @Flag(name: .long, help: "Allow plain ws:// or http:// to a non-loopback agent (the token travels in the clear).")
    var insecure = false

    @Option(name: .long, help: "Stop after this many seconds.")
    var duration: Double?

    @Option(
        name: .customLong("silence-timeout"),
        help: ArgumentHelp("Seconds an agent may leave a ping unanswered before it counts as lost (a ping goes out every half).", valueName: "seconds"))
    var silenceTimeout: Double = 20

    func validate() throws {
        try SecondsFlag.check(duration, flag: "--duration")
        try SecondsFlag.check(silenceTimeout, flag: "--silence-timeout")
        guard !agents.isEmpty else { throw ValidationError("name at least one agent URL") }
    }

    func run() async throws {
        guard let token = ProcessInfo.processInfo.environment[tokenEnvironment], !token.isEmpty else {
            throw ValidationError("set \(tokenEnvironment) to the agent's token (or name another variable with --token-env)")
        }
        try TerminalRequirement.check(headless: headless)
        let addresses = try agents.map { text in
            guard let address = AgentAddress(text) else {
                throw ValidationError("\(TextSanitizer.sanitize(text)) is not an agent URL (http://HOST:PORT, https://…, ws://… or wss://…)")
            }
            try AttachedAgents.checkSecurity(address, insecure: insecure)
            return address
        }
        let silence = SecondsFlag.duration(silenceTimeout) ?? .seconds(20)
        if headless {
            try await runHeadless(addresses, token: token, silence: silence)
        } else {
            try await runConsole(addresses, token: token, silence: silence)
        }
    }

    /// The merged streams on stdout.
    private func runHeadless(_ addresses: [AgentAddress], token: String, silence: Duration) async throws {
        // Stdout never holds a follower up: each agent may have a bounded queue of lines waiting,
        // beyond it lines are dropped and counted (`output_dropped`), as in a headless run.
        let output = HeadlessOutput.queued()
        let running = addresses.enumerated().map { number, address in
            let follower = AgentFollower(address: address, token: token, silenceTimeout: silence) { output.line($0, key: number) }
            return Task { await follower.run() }
        }
        _ = await AgentCommand.waitForStop(duration: SecondsFlag.duration(duration), stdout: output)
        for task in running { task.cancel() }
        await output.finish()
    }

    /// The console on every agent's sessions.
    private func runConsole(_ addresses: [AgentAddress], token: String, silence: Duration) async throws {
        let changes = ChangeSignal()
        let attached = try await AttachedAgents.connect(
            addresses.map { .init(address: $0, token: token, insecure: insecure) }, silenceTimeout: silence, firstPane: 0, changes: changes)
        guard attached.paneCount > 0 else { throw ValidationError("the agents run no sessions") }
        let running = attached.follow()
        await ConsoleRuntime(driver: attached.driver(changes: changes))
            .run(duration: SecondsFlag.duration(duration), environment: ProcessInfo.processInfo.environment)
        for task in running { task.cancel() }
    }
}
