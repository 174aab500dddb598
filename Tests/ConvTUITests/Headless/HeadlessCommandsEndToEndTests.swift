import ConvEngine
import Foundation
import Testing
import TestSupport

/// Headless stdin as a jq user meets it, on the real binary: every line answered on stdout,
/// forgiving parsing, `help`, capped lines, sanitised echoes, ordered sends and exit reasons.
@Suite("Headless commands, end to end", .serialized)
struct HeadlessCommandsEndToEndTests {
    private func records(_ process: ConvtuiProcess, type: String) -> [[String: Any]] {
        process.jsonLines.filter { $0["type"] as? String == type }
    }

    @Test func everyLineIsAnsweredAndQuitSaysWhy() async throws {
        let process = try ConvtuiProcess(["demo", "--headless", "--sessions", "2", "--pace", "0.2", "--no-record"])
        #expect(await eventually { records(process, type: "connected").count == 2 })
        process.send("HELP")
        process.send("  Stop\t 2 ")
        process.send("")
        process.send("dance \u{1B}]0;owned\u{07}\u{00} 1")
        process.send(String(repeating: "x", count: 1_048_577))
        process.send("snapshot 1")
        process.send("quit")
        #expect(await process.waitForExit() == 0)
        let acks = records(process, type: "ack")
        #expect(acks.map { $0["line"] as? Int } == [1, 2, 6, 7])
        #expect(acks.map { $0["command"] as? String } == ["help", "stop", "snapshot", "quit"])
        #expect(acks[1]["session"] as? Int == 2)
        let errors = records(process, type: "command_error")
        #expect(errors.map { $0["line"] as? Int } == [4, 5])
        #expect((errors.first?["message"] as? String)?.hasPrefix("unknown command") == true)
        #expect((errors.last?["message"] as? String)?.contains("1048576-byte limit") == true)
        let help = try #require(records(process, type: "help").first?["commands"] as? [[String: Any]])
        #expect(help.compactMap { $0["usage"] as? String }.contains("send SESSION TEXT"))
        #expect(records(process, type: "snapshot").count == 1)
        // No raw control byte of the input comes back, on either stream.
        for data in [process.stdoutData, process.stderrData] {
            #expect(!data.contains(0x1B) && !data.contains(0x07) && !data.contains(0x00))
        }
        #expect(process.stderr.contains("error: line 4: unknown command"))
        let ended = records(process, type: "ended")
        #expect(ended.first { $0["session"] as? Int == 2 }?["reason"] as? String == "stopped by operator")
        #expect(ended.first { $0["session"] as? Int == 1 }?["reason"] as? String == "quit")
    }

    @Test func sendsEndInAMessageOrAnErrorInOrder() async throws {
        let process = try ConvtuiProcess(["demo", "--headless", "--sessions", "1", "--pace", "0.2", "--no-record"])
        #expect(await eventually { records(process, type: "connected").count == 1 })
        var script = (1...50).map { "send 1 m\($0)" }
        script += ["stop 1"] + (51...60).map { "send 1 m\($0)" } + ["quit"]
        process.send(script.joined(separator: "\n"))
        #expect(await process.waitForExit() == 0)
        let messages = records(process, type: "user_message").compactMap { $0["text"] as? String }
        #expect(messages == (1...50).map { "m\($0)" }, "the 50 sends before the stop all went out, in order")
        let errors = records(process, type: "command_error").compactMap { $0["line"] as? Int }
        #expect(errors == Array(52...61), "each send after the stop fails with its own line")
    }

    @Test func durationAndSignalsNameTheReason() async throws {
        let timed = try ConvtuiProcess(["demo", "--headless", "--sessions", "1", "--pace", "0.2", "--no-record", "--duration", "1"])
        #expect(await timed.waitForExit() == 0)
        #expect(records(timed, type: "ended").last?["reason"] as? String == "duration")
        let signalled = try ConvtuiProcess(["demo", "--headless", "--sessions", "1", "--pace", "0.2", "--no-record"])
        #expect(await eventually { records(signalled, type: "connected").count == 1 })
        signalled.signal(SIGTERM)
        #expect(await signalled.waitForExit() == 0)
        #expect(records(signalled, type: "ended").last?["reason"] as? String == "signal")
    }

    @Test func agentTextDoneCarriesTheWholeText() async throws {
        let process = try ConvtuiProcess(["demo", "--headless", "--sessions", "2", "--seed", "7", "--pace", "0.1", "--no-record", "--duration", "3"])
        process.closeInput()
        #expect(await process.waitForExit() == 0)
        let done = records(process, type: "agent_text_done")
        #expect(!done.isEmpty)
        #expect(done.allSatisfy { ($0["text"] as? String)?.isEmpty == false })
    }
}
