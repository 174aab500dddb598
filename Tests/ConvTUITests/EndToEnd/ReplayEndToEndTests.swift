import ConvEngine
import Foundation
import Testing
import TestSupport

/// `convtui replay` on the real binary in tmux: three logs, play, pause, seek back.
@Suite(.enabled(if: TmuxConsole.isAvailable, "tmux is not installed: skipping end-to-end replay tests"))
struct ReplayEndToEndTests {
    @Test func playPauseAndSeekBackShowEarlierText() async throws {
        let directory = makeTemporaryDirectory("convtui-replay-e2e")
        let recorder = try ConvtuiProcess([
            "demo", "--headless", "--sessions", "3", "--seed", "4", "--pace", "0.4", "--duration", "12", "--record-dir", directory,
        ])
        recorder.closeInput()
        #expect(await recorder.waitForExit(timeout: .seconds(30)) == 0)
        let logs = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".jsonl") }.sorted()
        try #require(logs.count == 3)
        // The first user line of pane 1, which scrolls away by the end of the replay.
        let first = try SessionLogReader.read(path: directory + "/" + logs[0]).events.compactMap { event -> String? in
            if case .userTranscript(let text, true) = event.kind { return text }
            return nil
        }.first
        let firstLine = try #require(first)

        let console = try TmuxConsole(["replay", "--speed", "4"] + logs.map { "'\(directory)/\($0)'" }, width: 150, height: 24, records: false)
        defer { console.close() }
        // Playing 12 s at 4× takes 3 s, which a loaded machine can let pass before this test
        // looks: the panes and the timeline are enough here; playing is checked below.
        try await console.waitFor("three panes and a timeline") { screen in
            screen.contains("1 ava") && screen.contains("2 lina") && screen.contains("3 bruno") && (screen.contains(" ▶ ") || screen.contains(" ‖ "))
        }
        try await console.waitFor("the end of the replay") { $0.contains(" ‖ 0:1") && $0.contains("ENDED") }
        try await console.press("Space")
        try await console.waitFor("playing again from the start") { $0.contains(" ▶ 0:0") }
        try await console.press("Space")
        try await console.waitFor("paused") { $0.contains(" ‖ ") }
        try await console.press("G")
        try await console.waitFor("the end") { $0.contains("ENDED") }
        try await console.press("g")
        try await console.waitFor("the first user line again, at the start") { screen in
            screen.contains(" ‖ 0:00.0 ") && !screen.contains("ENDED")
        }
        try await console.press("Right", "Right")
        try await console.waitFor("ten seconds in, with pane 1's first line") { screen in
            screen.contains(" ‖ 0:10.0 ") && screen.contains(String(firstLine.prefix(20)))
        }
        try await console.press("Left")
        try await console.waitFor("back to five seconds") { $0.contains(" ‖ 0:05.0 ") }
        try await console.press("q")
        let stderr = try await console.waitForExit()
        #expect(stderr.contains("exit 0"))
    }
}
