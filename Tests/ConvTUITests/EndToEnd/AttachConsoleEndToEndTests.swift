import ConvEngine
import Foundation
import Testing
import TestSupport

/// `convtui attach` in tmux on three real `convtui agent` processes: stop a session remotely,
/// kill an agent (only its panes grey), start it again (its panes resume).
@Suite(.enabled(if: TmuxConsole.isAvailable, "tmux is not installed: skipping end-to-end console tests"))
struct AttachConsoleEndToEndTests {
    private static let token = "attach-e2e-control-token-0123"

    /// An agent over two simulated sessions named NAME-`label`, on `port` (0: a free one).
    private static func startAgent(_ label: String, directory: String, port: Int = 0) async throws -> (ConvtuiProcess, Int) {
        let config = directory + "/\(label).toml"
        try "[[session]]\nname = \"ava-\(label)\"\nbackend = \"sim\"\n\n[[session]]\nname = \"bo-\(label)\"\nbackend = \"sim\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let agent = try ConvtuiProcess([
            "agent", config, "--listen", "127.0.0.1:\(port)", "--token-file", directory + "/control.token", "--record-dir",
            directory + "/logs-\(label)",
        ])
        var found: Int?
        let listening = await eventually(timeout: .seconds(30)) {
            guard let range = agent.stderr.range(of: "listening on http://127.0.0.1:") else { return false }
            found = Int(agent.stderr[range.upperBound...].prefix { $0.isNumber })
            return found != nil
        }
        try #require(listening, "agent \(label) did not listen: \(agent.stderr)")
        return (agent, try #require(found))
    }

    @Test func threeAgentsOneConsole() async throws {
        let directory = makeTemporaryDirectory("attach-console")
        try #require(
            FileManager.default.createFile(
                atPath: directory + "/control.token", contents: Data((Self.token + "\n").utf8), attributes: [.posixPermissions: 0o600]))
        var agents: [ConvtuiProcess] = []
        var ports: [Int] = []
        for label in ["a", "b", "c"] {
            let (agent, port) = try await Self.startAgent(label, directory: directory)
            agents.append(agent)
            ports.append(port)
        }
        defer { for agent in agents { agent.signal(SIGKILL) } }
        let console = try TmuxConsole(
            ["attach"] + ports.map { "http://127.0.0.1:\($0)" }, width: 160, height: 40, environment: ["CONVTUI_TOKEN": Self.token],
            records: false)
        defer { console.close() }
        try await console.waitFor("six live panes named by host") { screen in
            screen.contains("ava-a@127.0.0.1:\(ports[0])") && screen.contains("bo-c@127.0.0.1:\(ports[2])")
                && screen.contains("6 live") && screen.contains("attached to 3 agents")
        }

        // Stop agent b's first session from the console: pane 3.
        try await console.press("3")
        try await console.press("x")
        try await console.waitFor("the remote session ended") { $0.contains("ended: stopped by operator") && $0.contains("5 live") }
        let client = LoopbackHTTP(port: ports[1], token: Self.token)
        let listed = try JSONParser.parse(try await client.get("/v1/sessions").body)
        #expect(listed["sessions"]?.arrayValue?.first?["phase"]?.stringValue == "ended")

        // Kill agent c: only its two panes grey, each saying why.
        agents[2].signal(SIGKILL)
        _ = await agents[2].waitForExit()
        let lost = try await console.waitFor("agent c unreachable") { $0.contains("1 unreachable") }
        #expect(lost.components(separatedBy: "host unreachable").count - 1 == 2, "\(lost)")

        // Start it again on the same port: its panes follow the new instance.
        let (again, _) = try await Self.startAgent("c", directory: directory, port: ports[2])
        agents[2] = again
        try await console.waitFor("agent c followed again") { screen in
            !screen.contains("unreachable") && screen.contains("attached to 3 agents")
        }

        // Quitting leaves the agents' sessions running.
        try await console.press("q")
        let stderr = try await console.waitForExit()
        #expect(stderr.contains("exit 0"), "\(stderr)")
        let phases = try JSONParser.parse(try await LoopbackHTTP(port: ports[0], token: Self.token).get("/v1/sessions").body)
        #expect(phases["sessions"]?.arrayValue?.compactMap { $0["phase"]?.stringValue } == ["live", "live"])

        // A config's own session beside an agent's ([[remote]]): one console, local panes first.
        let config = directory + "/mixed.toml"
        try "[[session]]\nname = \"here\"\nbackend = \"sim\"\n\n[[remote]]\nurl = \"http://127.0.0.1:\(ports[0])\"\ntoken_env = \"FLEET_TOKEN\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let mixed = try TmuxConsole(["run", "'\(config)'"], environment: ["FLEET_TOKEN": Self.token])
        defer { mixed.close() }
        try await mixed.waitFor("the local pane and the agent's") { screen in
            screen.contains("1 here") && screen.contains("2 ava-a@127.0.0.1:\(ports[0])") && screen.contains("3 live")
        }
        try await mixed.press("q")
        try await mixed.press("y")
        #expect(try await mixed.waitForExit().contains("exit 0"))
    }
}
