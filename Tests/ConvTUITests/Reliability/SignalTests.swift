import ConvEngine
import Foundation
import Testing

/// SIGTERM, SIGHUP and Ctrl-C to the real console in tmux: the terminal is restored (the
/// alternate screen is left) and every log is closed whole.
@Suite(.enabled(if: TmuxConsole.isAvailable, "tmux is not installed: skipping signal tests"), .serialized)
struct SignalTests {
    enum Interrupt: String, CaseIterable, Sendable {
        case sigterm, sighup, ctrlC
    }

    @Test(arguments: Interrupt.allCases)
    func consoleRestoresTheTerminalAndClosesLogs(interrupt: Interrupt) async throws {
        let console = try TmuxConsole(["demo", "--sessions", "3", "--seed", "5", "--pace", "0.3"])
        // With a dead pane kept, `kill-server` alone leaves this tmux server running: end it by its pid.
        let server = try await console.tmux(["display-message", "-p", "#{pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        defer {
            console.close()
            if let pid = pid_t(server) { kill(pid, SIGKILL) }
        }
        // Keep the dead pane so its terminal state can be inspected after convtui exits.
        try await console.tmux(["set-option", "-g", "remain-on-exit", "on"])
        try await console.waitFor("three live panes") { $0.components(separatedBy: "LIVE").count - 1 == 3 }
        #expect(try await console.tmux(["display-message", "-p", "#{alternate_on}"]).hasPrefix("1"), "the console uses the alternate screen")
        switch interrupt {
        case .ctrlC:
            try await console.press("C-c")
        case .sigterm, .sighup:
            let shell = try await console.tmux(["display-message", "-p", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
            let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
            let pid = try #require(children.split(separator: " ").first.flatMap { pid_t($0) })
            kill(pid, interrupt == .sigterm ? SIGTERM : SIGHUP)
        }
        let stderr = try await console.waitForExit()
        #expect(stderr.contains("exit "), "convtui exited")
        #expect(try await console.tmux(["display-message", "-p", "#{alternate_on}"]).hasPrefix("0"), "the alternate screen is left")
        let logs = try FileManager.default.contentsOfDirectory(atPath: console.logDirectory.path).filter { $0.hasSuffix(".jsonl") }
        #expect(logs.count == 3)
        for file in logs {
            let log = try SessionLogReader.read(path: console.logDirectory.path + "/" + file)
            #expect(log.problems.isEmpty, "\(file): \(log.problems)")
            #expect(log.events.last.map { if case .ended = $0.kind { true } else { false } } == true, "\(file) ends with its run's end")
        }
    }
}
