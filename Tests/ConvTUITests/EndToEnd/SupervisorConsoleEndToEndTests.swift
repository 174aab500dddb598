import Foundation
import Testing
import TestSupport

/// Answering the agent from the console, through tmux, against `convtui sim-server`.
@Suite(.enabled(if: TmuxConsole.isAvailable, "tmux is not installed: skipping end-to-end console tests"))
struct SupervisorConsoleEndToEndTests {
    @Test func anMCPApprovalIsShownAndApprovedWithA() async throws {
        let (server, port) = try await startSimServer()
        defer { server.signal(SIGTERM) }
        let directory = makeTemporaryDirectory("console-approve")
        let config = directory + "/approve.toml"
        try "reconnect = false\n\n\(HeadlessRun.session("el", backend: "elevenlabs", port: port, behaviour: "ava"))"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let console = try TmuxConsole(["run", "'\(config)'"])
        defer { console.close() }
        try await console.waitFor("the session live") { $0.contains("LIVE") }
        try await console.press("i")
        try await console.type("/sim mcp")
        try await console.press("Enter")
        try await console.waitFor("the approval row") { $0.contains("awaiting approval: search_flights · a approve / d deny") }
        try await console.press("a")
        let answered = try await console.waitFor("the agent's answer") { $0.contains("The MCP tool ran.") }
        #expect(!answered.contains("awaiting approval"))
        #expect(answered.contains("approved"))
    }
}
