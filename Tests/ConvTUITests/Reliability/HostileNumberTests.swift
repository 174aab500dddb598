import ConvEngine
import Foundation
import Testing
import TestSupport

/// Numbers no counter can hold, from a server, a log and stdin, on the real binary: each costs
/// its own frame, line or command, never the process (issue 14, deliverable 1).
@Suite(
    "Hostile numbers cannot trap", .serialized,
    .enabled(if: HostileServer.isAvailable, "python3 is not installed: skipping hostile-server tests"))
struct HostileNumberTests {
    /// `huge-numbers` (Tests/Tools/hostile_server.py): token counts as strings, past 2^63, negative,
    /// and 1 100 usages of 8999999999999999, whose sum passes 2^63. Before the fix the process died
    /// of an arithmetic overflow (exit 132) and took `steady` with it.
    @Test(arguments: ["openai", "elevenlabs"])
    func hugeNumbersCostOnlyTheirFrames(backend: String) async throws {
        let server = try await HostileServer()
        let run = try HeadlessRun(label: "convtui-numbers", sessions: [
            HeadlessRun.session("steady", backend: "elevenlabs", port: server.port, behaviour: "steady"),
            HeadlessRun.session("hit", backend: backend, port: server.port, behaviour: "huge-numbers"),
        ])
        func said(_ text: String) -> Bool {
            run.events("hit").contains { $0["type"] as? String == "agent_text_done" && $0["text"] as? String == text }
        }
        #expect(await eventually(timeout: .seconds(30), every: .milliseconds(50)) { said("after huge numbers") }, "\(run.process.stderr)")
        #expect(!run.isOver("hit") && !run.isOver("steady"), "both sessions are still running")
        let steady = run.events("steady").count
        #expect(await eventually(every: .milliseconds(50)) { run.events("steady").count >= steady + 3 }, "steady keeps receiving")
        if backend == "openai" {
            let malformed = run.events("hit").filter { $0["type"] as? String == "malformed_event" }
            #expect(malformed.count == 7, "each absurd count is a malformed frame: \(malformed.count)")
            let before = run.allEvents.count
            run.process.send("snapshot hit")
            var counters: [String: Any]?
            _ = await eventually {
                counters = run.allEvents.dropFirst(before).last { $0["type"] as? String == "snapshot" }?["counters"] as? [String: Any]
                return counters != nil
            }
            #expect(counters?["input_tokens"] as? Int == JSONValue.maxSafeInteger, "the sum saturates: \(counters ?? [:])")
        }
        #expect(await run.quit() == 0, "\(run.process.stderr)")
        #expect(try run.log("hit").problems.isEmpty, "the log of saturated counts reads back")
    }

    /// `snapshot -9223372036854775808` on headless stdin used to trap at `number - 1` (exit 132).
    @Test func snapshotOfTheSmallestIntegerIsAnUnknownSession() async throws {
        let process = try ConvtuiProcess(["demo", "--headless", "--sessions", "2", "--no-record"])
        process.send("snapshot -9223372036854775808")
        process.send("snapshot 9223372036854775807")
        process.send("quit")
        #expect(await process.waitForExit() == 0, "\(process.stderr)")
        #expect(process.jsonLines.contains { $0["type"] as? String == "ended" }, "the sessions end as on quit")
    }
}
