import Foundation
import Testing

/// The real binary, driven through tmux like an operator would.
@Suite(.enabled(if: TmuxConsole.isAvailable, "tmux is not installed: skipping end-to-end console tests"))
struct ConsoleEndToEndTests {
    /// Phase words of the pane headers, in pane order (grid order, left to right, top down).
    private func phases(_ screen: String) -> [String] {
        matches(#"═ \d+ \S+ +(LIVE|ENDED|IDLE|CONNECTING|STOPPING|FAILED)|─ \d+ \S+ +(LIVE|ENDED|IDLE|CONNECTING|STOPPING|FAILED)"#, in: screen)
    }

    /// Each pane's incoming-event counter, from its footer, in pane order.
    private func eventsIn(_ screen: String) -> [Int] {
        matches(#"(?:[═─]|·) in (\d+) out"#, in: screen).compactMap { Int($0) }
    }

    private func matches(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
            let group = (1..<match.numberOfRanges).first { match.range(at: $0).location != NSNotFound } ?? 0
            return String(text[Range(match.range(at: group), in: text)!])
        }
    }

    @Test func anOperatorSession() async throws {
        let console = try TmuxConsole(["demo", "--seed", "3", "--pace", "0.5"])
        defer { console.close() }
        try await console.waitFor("four live panes") { phases($0) == ["LIVE", "LIVE", "LIVE", "LIVE"] }

        // Stopping pane 2 stops pane 2 only; the others keep receiving events.
        try await console.press("2", "x")
        let stopped = try await console.waitFor("pane 2 to end") { phases($0) == ["LIVE", "ENDED", "LIVE", "LIVE"] }
        let before = eventsIn(stopped)
        try #require(before.count == 4)
        try await console.waitFor("panes 1, 3 and 4 to advance") { screen in
            let now = eventsIn(screen)
            return now.count == 4 && now[0] > before[0] && now[2] > before[2] && now[3] > before[3]
        }
        let later = eventsIn(try await console.screen())
        #expect(later[1] == before[1], "a stopped pane takes no more events")
        #expect(phases(try await console.screen())[1] == "ENDED")

        // Zoom in on pane 2 and back out.
        try await console.press("z")
        try await console.waitFor("pane 2 alone") { $0.contains("2 lina") && !$0.contains("1 ava") && !$0.contains("4 sam") }
        try await console.press("Enter")
        try await console.waitFor("all panes again") { phases($0).count == 4 }

        // Start it again and type a message.
        try await console.press("s")
        try await console.waitFor("pane 2 live again") { phases($0)[safe: 1] == "LIVE" }
        try await console.press("i")
        try await console.waitFor("the input line") { $0.contains("message to 2 lina ›") }
        try await console.type("hello 世界 e2e")
        try await console.press("Enter")
        try await console.waitFor("the message in pane 2") { $0.contains("op: hello 世界 e2e") }

        // Resize small, tiny and large.
        try await console.resize(width: 40, height: 12)
        try await console.waitFor("a 40-column layout") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.first?.hasPrefix("┌─ 1 ava") == true && lines.count >= 12 && screen.contains("─ 4 sam")
        }
        try await console.resize(width: 20, height: 6)
        try await console.waitFor("the too-small message") { $0.contains("terminal too small") }
        try await console.resize(width: 200, height: 60)
        try await console.waitFor("a 200-column layout") { screen in
            phases(screen).count == 4 && screen.split(separator: "\n").contains { $0.count >= 190 }
        }

        // Quit: asked first while sessions run; the logs are written and named.
        try await console.press("q")
        try await console.waitFor("the quit question") { $0.contains("Stop them and quit?") }
        try await console.press("y")
        let stderr = try await console.waitForExit()
        #expect(stderr.contains("convtui: session logs in \(console.logDirectory.path)"))
        #expect(stderr.contains("exit 0"))
        let logs = try FileManager.default.contentsOfDirectory(atPath: console.logDirectory.path).filter { $0.hasSuffix(".jsonl") }
        #expect(logs.count == 4)
        for log in logs {
            let text = try String(contentsOf: console.logDirectory.appendingPathComponent(log), encoding: .utf8)
            #expect(text.contains("\"ended\""), "\(log) records the end of its run")
        }
        let lina = try #require(logs.first { $0.contains("lina") })
        #expect(try String(contentsOf: console.logDirectory.appendingPathComponent(lina), encoding: .utf8).contains("hello 世界 e2e"))
    }

    @Test func theSessionTableFiltersAndOpensASessionZoomed() async throws {
        let console = try TmuxConsole(["demo", "--seed", "3", "--pace", "0.5", "--sessions", "8"])
        defer { console.close() }
        try await console.waitFor("the grid") { $0.contains("8 live") }

        try await console.press("t")
        try await console.waitFor("the table") { $0.contains("sessions 8 of 8") && $0.contains("NAME") && $0.contains("V2V P50") }
        try await console.press("/")
        try await console.type("^2 lina")
        try await console.press("Enter")
        let filtered = try await console.waitFor("one row") { $0.contains("sessions 1 of 8") && $0.contains("filter: ^2 lina") }
        #expect(filtered.contains("lina") && !filtered.contains(" ava "))

        // Enter opens the filtered row's session zoomed; Esc goes back to the table.
        try await console.press("Enter")
        try await console.waitFor("pane 2 zoomed") { $0.contains("═ 2 lina") && !$0.contains("sessions 1 of 8") }
        try await console.press("Escape")
        try await console.waitFor("the table again") { $0.contains("sessions 1 of 8") }
        try await console.press("t")
        try await console.waitFor("the grid again") { $0.contains("─ 1 ava") }
    }

    @Test func nGoesToTheAlertingPane() async throws {
        // Pane 3 dials a port nobody listens on, without reconnecting: its run fails, which
        // the default `failed` rule turns into an alert, while panes 1 and 2 carry on.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("convtui-alert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("alert.toml").path
        try """
            reconnect = false

            [[session]]
            name = "ava"
            backend = "sim"

            [[session]]
            name = "lina"
            backend = "sim"
            persona = "lina"

            [[session]]
            name = "dead"
            backend = "elevenlabs"
            url = "ws://127.0.0.1:1"
            agent_id = "nobody"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let console = try TmuxConsole(["run", "'\(config)'"])
        defer { console.close() }
        let alerting = try await console.waitFor("pane 3 failed with an alert") { $0.contains("1 alerting") && $0.contains("FAILED") }
        #expect(alerting.hasPrefix("╔═ 1 ava"), "the focus starts on pane 1")

        try await console.press("n")
        let moved = try await console.waitFor("the focus on pane 3") { $0.contains("alert 1/1 → pane 3") }
        let header = try #require(moved.split(separator: "\n").first { $0.contains(" 3 dead") })
        #expect(header.contains("╔═! 3 dead"), "pane 3 has the double frame, and its ! marks the alert: \(header)")
        #expect(!moved.contains("╔═ 1 ava"))
        // N goes the other way round to the same, only, alerting pane.
        try await console.press("1", "N")
        try await console.waitFor("pane 3 again") { $0.contains("alert 1/1 → pane 3") && !$0.contains("╔═ 1 ava") }
    }

    @Test func hostileInputNeverReachesTheTerminal() async throws {
        let console = try TmuxConsole(["demo", "--seed", "5", "--sessions", "2"], width: 100, height: 30)
        defer { console.close() }
        try await console.waitFor("two live panes") { phases($0) == ["LIVE", "LIVE"] }
        let title = try await console.paneTitle

        // Format characters typed into a message arrive as visible escapes, in the
        // transcript and in the agent's echo of it.
        try await console.press("i")
        try await console.type("ab\u{202E}cd\u{200B}ef")
        try await console.press("Enter")
        try await console.waitFor("the visible escapes") { $0.contains("op: ab<U+202E>cd<U+200B>ef") }

        // An OSC title change and a clear-screen typed at the console do nothing to it.
        try await console.press("i")
        try await console.type("\u{1B}]2;pwned\u{07}\u{1B}[2J\u{1B}c")
        try await console.press("Escape")
        try await console.press("i")
        try await console.type("x\u{07}y\u{1B}]0;pwned\u{07}")
        try await console.press("Enter")
        // Enter (after the typed Esc ended the input) zoomed a pane: zoom back out.
        try await console.press("z")
        let screen = try await console.waitFor("both panes still drawn") { phases($0).count == 2 }
        let titleAfter = try await console.paneTitle
        #expect(titleAfter == title)
        #expect(!titleAfter.contains("pwned"))
        #expect(!screen.contains("\u{1B}"))
        try await console.press("q", "y")
        #expect(try await console.waitForExit().contains("exit 0"))
    }

    @Test func noColorStillMarksTheFocus() async throws {
        let console = try TmuxConsole(["demo", "--sessions", "2"], width: 100, height: 30, environment: ["NO_COLOR": "1"])
        defer { console.close() }
        try await console.waitFor("two panes") { phases($0).count == 2 }
        let styled = try await console.tmux(["capture-pane", "-p", "-e"])
        #expect(matches(#"\x1B\[[0-9;]*(?<![0-9])3[0-7][;m]"#, in: styled).isEmpty, "no foreground colour with NO_COLOR")
        #expect(styled.contains("\u{1B}[1m╔═"), "the focus frame is bold")
        #expect(try await console.screen().hasPrefix("╔═ 1 ava"), "the focused pane has the double frame")
        try await console.press("q", "y")
        _ = try await console.waitForExit()
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
