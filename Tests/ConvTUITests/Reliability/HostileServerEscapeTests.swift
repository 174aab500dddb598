import Foundation
import Testing
import TestSupport

/// Escape injection from a hostile server through the real console: an ElevenLabs and an
/// OpenAI session on `Tests/Tools/hostile_server.py` (`escapes`), which puts an OSC 0 title
/// change, an OSC 52 clipboard write, a CSI clear, CR, BS, BEL, C1 CSI (U+009B and a raw
/// 0x9B), RLO (U+202E), ZWJ (U+200D) and invalid UTF-8 into agent text, transcripts, tool
/// names and ids, error codes and messages, unknown type names, the conversation id, a
/// malformed frame and a close reason; the first session's name from the config carries the
/// same characters.
@Suite(
    "Escape injection from a hostile server", .serialized,
    .enabled(if: HostileServer.isAvailable, "python3 is not installed: skipping hostile-server tests"))
struct HostileServerEscapeTests {
    /// The characters of the payload, as TOML escapes.
    private static let payload = #"\u001b]0;pwned\u0007\u001b]52;c;cHduZWQ=\u001b\\\u001b[2J\r\b\u0007\u009b31m\u202eevil\u200d"#

    private static func config(port: Int) throws -> String {
        let path = makeTemporaryDirectory("convtui-escapes") + "/escapes.toml"
        try """
            reconnect = false

            [[session]]
            name = "n\(payload)"
            backend = "elevenlabs"
            url = "ws://127.0.0.1:\(port)"
            agent_id = "escapes"

            [[session]]
            name = "realtime"
            backend = "openai"
            url = "ws://127.0.0.1:\(port)/v1"
            model = "escapes"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Visible forms that prove each path was drawn: agent text, the session name, the close
    /// reason of the OpenAI session (which fails with code 4000), a tool name, invalid UTF-8.
    private static let drawn = ["a␛]0;pwned␇", "n␛]0;pwned␇", "closed by server (4000)", "tool␛]0;pwned", "bad \u{FFFD}31m"]

    @Test func everyByteTheConsoleWritesIsInert() async throws {
        let server = try await HostileServer()
        let console = try PtyConsole(["run", try Self.config(port: server.port), "--no-record"])
        // Curses writes only the cells that changed, so a text drawn over an earlier one (a
        // name first cut short, then whole) need never go out in one piece. Ctrl-L writes every
        // cell again: repeat it until one repaint holds every text.
        var missing = Self.drawn
        for _ in 0..<30 where !missing.isEmpty {
            let start = console.output.count
            console.type("\u{0C}")
            _ = await eventually(timeout: .seconds(2), every: .milliseconds(100)) {
                let repainted = String(decoding: console.output.dropFirst(start), as: UTF8.self)
                missing = Self.drawn.filter { !repainted.contains($0) }
                return missing.isEmpty
            }
        }
        #expect(missing.isEmpty, "the hostile texts are drawn, escaped; missing: \(missing)")
        console.type("q")
        #expect(await console.waitFor { $0.contains("and quit?") })
        console.type("y")
        #expect(await console.waitForExit() == 0)
        let output = console.output
        let problems = TerminalOutputAudit.problems(in: output)
        #expect(problems.isEmpty, "\(problems.count) problems in \(output.count) bytes: \(problems.prefix(20))")
        print("escapes: \(output.count) bytes from the console, \(problems.count) problems")
    }

    /// The audit itself: what curses writes passes, each kind of injection is caught.
    @Test func theAuditTellsCursesOutputFromInjection() {
        let curses = "\u{1B}[?1049h\u{1B}[22;0;0t\u{1B}[1;40r\u{1B}(B\u{1B}[m\u{1B}[?25l\u{1B}[H\u{1B}[2J\u{1B}[0;1;7m 1 ava \u{1B}[3;5H\u{1B}[39d\u{1B}[4X\u{1B}[K\u{1B}="
            + "␛]0;pwned␇<U+202E>\r\n\u{8}\t\u{1B}[23;0;0t\u{1B}[?1049l\u{1B}>"
        #expect(TerminalOutputAudit.problems(in: Array(curses.utf8)) == [])
        let injections: [[UInt8]] = [
            Array("\u{1B}]0;pwned\u{07}".utf8), Array("\u{1B}]52;c;cHduZWQ=\u{1B}\\".utf8), Array("\u{1B}P+q\u{1B}\\".utf8),
            Array("\u{1B}_x".utf8), Array("\u{1B}^x".utf8), Array("\u{1B}c".utf8), Array("\u{1B}[6n".utf8), Array("\u{1B}[21t".utf8),
            Array("\u{1B}[>c".utf8), Array("\u{1B}[!p".utf8), Array("a\u{07}".utf8), Array("\u{0E}".utf8), Array("\u{7F}".utf8),
            [0x9B, 0x33, 0x31, 0x6D], Array("\u{9B}31m".utf8), Array("\u{202E}evil".utf8), Array("a\u{200D}b".utf8),
            Array("\u{2028}".utf8), [0xC0, 0xAF], Array("\u{1B}".utf8),
        ]
        for bytes in injections {
            #expect(!TerminalOutputAudit.problems(in: bytes).isEmpty, "\(bytes) is caught")
        }
    }

    @Test(.enabled(if: TmuxConsole.isAvailable, "tmux is not installed"))
    func paneTitleAndClipboardStayUntouched() async throws {
        let server = try await HostileServer()
        let console = try TmuxConsole(["run", try Self.config(port: server.port)], width: 160, height: 40)
        defer { console.close() }
        // Let an OSC 52 write reach tmux's paste buffers if one ever got through.
        try await console.tmux(["set-option", "-g", "set-clipboard", "on"])
        let title = try await console.paneTitle
        let screen = try await console.waitFor("the hostile texts, escaped") { screen in
            ["a␛]0;pwned␇", "closed by server (4000)", "<U+202E>"].allSatisfy { screen.contains($0) }
        }
        #expect(!screen.contains("\u{1B}") && !screen.contains("\u{202E}") && !screen.contains("\u{200D}"))
        let titleAfter = try await console.paneTitle
        #expect(titleAfter == title, "pane title \(title) became \(titleAfter)")
        #expect(!titleAfter.contains("pwned"))
        #expect(try await console.tmux(["list-buffers"]).isEmpty, "no clipboard write reached tmux")
        try await console.press("q", "y")
        #expect(try await console.waitForExit().contains("exit 0"))
    }
}
