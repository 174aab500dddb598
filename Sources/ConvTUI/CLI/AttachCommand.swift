import ArgumentParser
import ConvEngine
import FleetAgent
import Foundation

/// `convtui attach URL... --headless`: the merged watch streams of several agents as JSON
/// lines, each with its agent's `host` (docs/fleet.md).
struct AttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Follow running agents' sessions (see docs/fleet.md); --headless prints their merged events as JSON lines.",
        discussion: """
            Each URL is an agent (http://HOST:PORT, https://…, ws://… or wss://…). Every event is printed as its headless \
            line with the agent's "seq" and a "host" field; a session's log header is printed once. A lost agent prints \
            {"type":"host_unreachable","host":…,"reason":…} and is retried with backoff and jitter; it resumes after \
            its last sequence number, so no event is lost or printed twice. A restarted agent (a new instance id) \
            starts again from 1, said in an "agent_restarted" line. The token is read from the environment variable \
            named by --token-env, never from the command line. Plain ws:// or http:// off loopback needs --insecure. \
            Runs until SIGINT, SIGTERM or SIGHUP (or --duration). Only --headless is available so far.
            """)

    @Argument(help: ArgumentHelp("Agents to follow.", valueName: "url"))
    var agents: [String]

    @Option(name: .customLong("token-env"), help: ArgumentHelp("Environment variable holding the token.", valueName: "var"))
    var tokenEnvironment = "CONVTUI_TOKEN"

    @Flag(name: .long, help: "Print the merged events as JSON lines (required for now).")
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
        guard headless else { throw ValidationError("only `convtui attach --headless` is available so far") }
        guard !agents.isEmpty else { throw ValidationError("name at least one agent URL") }
    }

    func run() async throws {
        guard let token = ProcessInfo.processInfo.environment[tokenEnvironment], !token.isEmpty else {
            throw ValidationError("set \(tokenEnvironment) to the agent's token (or name another variable with --token-env)")
        }
        // Stdout never holds a follower up: each agent may have a bounded queue of lines waiting,
        // beyond it lines are dropped and counted (`output_dropped`), as in a headless run.
        let output = HeadlessOutput.queued()
        var followers: [AgentFollower] = []
        for (number, address) in agents.enumerated() {
            let follower = AgentFollower(
                address: address, token: token, silenceTimeout: SecondsFlag.duration(silenceTimeout) ?? .seconds(20),
                emit: { output.line($0, key: number) })
            guard let follower else {
                throw ValidationError("\(TextSanitizer.sanitize(address)) is not an agent URL (http://HOST:PORT, https://…, ws://… or wss://…)")
            }
            do {
                try WebSocketEndpoint(url: follower.base, carriesCredential: true).checkSecurity(allowInsecure: insecure)
            } catch {
                throw ValidationError("refusing to send the token in the clear to \(follower.host); use https:// (wss://) or --insecure")
            }
            followers.append(follower)
        }
        let running = followers.map { follower in Task { await follower.run() } }
        _ = await AgentCommand.waitForStop(duration: SecondsFlag.duration(duration), stdout: output)
        for task in running { task.cancel() }
        await output.finish()
    }
}
