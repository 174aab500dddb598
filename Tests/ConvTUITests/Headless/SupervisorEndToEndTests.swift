import Foundation
import Testing
import TestSupport

/// The supervisor's answers on headless stdin, against `convtui sim-server`: an MCP approval
/// on ElevenLabs and a manual function call on OpenAI, each waiting in the snapshot until
/// answered, then answered by the agent.
@Suite("Supervisor answers, end to end", .serialized)
struct SupervisorEndToEndTests {
    private func snapshot(_ run: HeadlessRun, _ session: Int) async -> [String: Any]? {
        let before = run.allEvents.filter { $0["type"] as? String == "snapshot" }.count
        run.process.send("snapshot \(session)")
        var latest: [String: Any]?
        _ = await eventually {
            let snapshots = run.allEvents.filter { $0["type"] as? String == "snapshot" }
            latest = snapshots.count > before ? snapshots.last : nil
            return latest != nil
        }
        return latest
    }

    private func pending(_ run: HeadlessRun, _ session: Int, _ key: String) async -> [[String: Any]] {
        await snapshot(run, session)?[key] as? [[String: Any]] ?? []
    }

    /// The events of session 1, by number: a tool call's own `name` (the tool's) shadows the
    /// session's name in its record.
    private func events(_ run: HeadlessRun) -> [[String: Any]] {
        run.allEvents.filter { $0["session"] as? Int == 1 }
    }

    private func saw(_ run: HeadlessRun, _ type: String) -> Bool {
        events(run).contains { $0["type"] as? String == type }
    }

    private func replied(_ run: HeadlessRun, _ text: String) -> Bool {
        events(run).contains { $0["type"] as? String == "agent_text_done" && ($0["text"] as? String)?.contains(text) == true }
    }

    @Test func anMCPApprovalWaitsUntilApprovedOnStdin() async throws {
        let (server, port) = try await startSimServer()
        defer { server.signal(SIGTERM) }
        let run = try HeadlessRun(label: "approve", sessions: [HeadlessRun.session("el", backend: "elevenlabs", port: port, behaviour: "ava")])
        #expect(await eventually { saw(run, "connected") })
        run.process.send("send 1 /sim mcp")
        #expect(await eventually { saw(run, "mcp_tool_call") })
        let waiting = await pending(run, 1, "pending_approvals")
        #expect(waiting.map { $0["name"] as? String } == ["search_flights"])
        run.process.send("approve 1")
        #expect(await eventually { replied(run, "The MCP tool ran.") })
        #expect(await pending(run, 1, "pending_approvals").isEmpty)
        #expect(!run.allEvents.contains { $0["type"] as? String == "command_error" })
        #expect(await run.quit() == 0)
    }

    @Test func aManualOpenAIFunctionCallWaitsUntilAnsweredOnStdin() async throws {
        let (server, port) = try await startSimServer()
        defer { server.signal(SIGTERM) }
        let session = HeadlessRun.session("rt", backend: "openai", port: port, behaviour: "ava") + "\nmanual_tools = [\"search_flights\"]"
        let run = try HeadlessRun(label: "manual-tool", sessions: [session])
        #expect(await eventually { saw(run, "connected") })
        run.process.send("send 1 /sim tool")
        #expect(await eventually { saw(run, "tool_call") })
        // Given time to answer on its own, it does not: the call waits for the operator.
        try await Task.sleep(for: .milliseconds(500))
        #expect(!saw(run, "tool_result"))
        let waiting = await pending(run, 1, "pending_tool_calls")
        #expect(waiting.map { $0["name"] as? String } == ["search_flights"])
        run.process.send("tool 1 two seats on TP 1234")
        #expect(await eventually { replied(run, "two seats on TP 1234") })
        #expect(await pending(run, 1, "pending_tool_calls").isEmpty)
        #expect(!run.allEvents.contains { $0["type"] as? String == "command_error" })
        #expect(await run.quit() == 0)
    }
}
