import ConvEngine
import Foundation
import Testing

@testable import ConsoleCore
import TestSupport

/// The replay driver over real logs recorded by simulated sessions.
@Suite struct ReplayDriverTests {
    /// Records `count` simulated sessions for a moment (the operator marks the end of the one
    /// at `markedPane`, if any) and returns their logs.
    private func recordLogs(
        count: Int, markedPane: Int? = nil, until done: @escaping @Sendable (SessionCounters) -> Bool = { $0.eventsIn > 30 }
    ) async throws -> [String] {
        let directory = try RecordingDirectory(path: makeTemporaryDirectory("convtui-replay-driver"))
        let clock = ManualClock()
        let board = try SessionBoard.simulated(
            count: count, options: SimOptions(seed: 9, bargeInRate: 0.5), recording: directory, clock: clock)
        board.startAll()
        #expect(await clock.advance { board.sessions.allSatisfy { done($0.snapshot.state.counters) } })
        if let markedPane { #expect(board.sessions[markedPane].mark(note: "look here")) }
        await board.shutdown()
        return board.sessions.compactMap(\.logPath)
    }

    @Test func playsSeeksFreezesAndEndsAtTheLiveState() async throws {
        let logs = try await recordLogs(count: 2)
        let finals = try logs.map { try SessionLogReader.read(path: $0).finalState() }
        let clock = ManualClock()
        let driver = ReplayDriver(player: ReplayPlayer(paths: logs), alignment: .wallClock, clock: clock)
        #expect(driver.paneCount == 2)
        #expect(driver.confirmsQuit == false)
        #expect(driver.statusLabel == "replay · 2 logs · aligned by wall clock")

        // Playing: a tick moves the replay clock by the time since the last one, and the bar shows it.
        let before = driver.currentOffset(pane: 0)
        clock.advance(by: .milliseconds(30))
        #expect(driver.tick())
        #expect(driver.currentOffset(pane: 0) - before == 30_000)
        #expect(driver.extraBar(width: 80).first?.first?.text.hasPrefix(" ▶") == true)

        // The end shows exactly what the live sessions ended with.
        let report: @Sendable (String) -> Void = { _ in }
        driver.perform(.toEnd, report: report)
        for pane in 0..<2 {
            #expect(driver.snapshots(pane: pane).read().value.state == finals[pane])
        }
        #expect(driver.tick() == false, "the clock stops at the end")

        // Back to the start: earlier state again; a frozen pane keeps its state while the clock moves.
        driver.perform(.toStart, report: report)
        #expect(driver.snapshots(pane: 0).read().value.state.counters.eventsIn < finals[0].counters.eventsIn)
        driver.perform(.freeze(pane: 1), report: report)
        #expect(driver.isFrozen(pane: 1))
        let frozen = driver.snapshots(pane: 1).read().value.state
        driver.perform(.toEnd, report: report)
        #expect(driver.snapshots(pane: 1).read().value.state == frozen)
        #expect(driver.snapshots(pane: 0).read().value.state == finals[0])
        driver.perform(.resume(pane: 1), report: report)
        #expect(!driver.isFrozen(pane: 1))
        #expect(driver.snapshots(pane: 1).read().value.state == finals[1])
    }

    @Test func steppingToAnOperatorMarkNamesItsPane() async throws {
        let logs = try await recordLogs(count: 2, markedPane: 1)
        let player = ReplayPlayer(paths: logs)
        let marks = player.marks.filter { $0.kind == .operatorMark }
        #expect(marks.map(\.pane) == [2])
        let driver = ReplayDriver(player: player, alignment: .wallClock)
        let report: @Sendable (String) -> Void = { _ in }
        driver.perform(.toStart, report: report)
        driver.perform(.nextOperatorMark, report: report)
        #expect(driver.focus(after: .nextOperatorMark) == 1)
        driver.perform(.toEnd, report: report)
        driver.perform(.previousOperatorMark, report: report)
        #expect(driver.focus(after: .previousOperatorMark) == 1)
    }

    @Test func steppingToAnInterruptionOrErrorNamesItsPane() async throws {
        let logs = try await recordLogs(count: 2) { $0.interruptions > 0 }
        let player = ReplayPlayer(paths: logs)
        let marks = player.marks
        let driver = ReplayDriver(player: player, alignment: .wallClock)
        try #require(!marks.isEmpty, "barge-ins at rate 0.5 make interruptions")
        let report: @Sendable (String) -> Void = { _ in }
        driver.perform(.toStart, report: report)
        #expect(driver.focus(after: .toStart) == nil)
        driver.perform(.nextMark, report: report)
        #expect(driver.focus(after: .nextMark) == marks[0].pane - 1)
        var model = AppModel(paneCount: 2, size: ScreenSize(width: 80, height: 24))
        model = ConsoleUpdate.update(model, .focus(1), context: ConsoleContext(), keymap: Keymap<ReplayAction>.replay).0
        #expect(model.focus == 1)
        #expect(ConsoleUpdate.update(model, .focus(7), context: ConsoleContext(), keymap: Keymap<ReplayAction>.replay).0.focus == 1)
    }

    /// A far seek with a catch-up budget: the status bar says how many panes are still behind,
    /// and ticks move them, also while paused, until each pane is at the end.
    @Test func panesLeftBehindCatchUpOnTicksAndTheStatusSaysSo() async throws {
        let logs = try await recordLogs(count: 3)
        let finals = try logs.map { try SessionLogReader.read(path: $0).finalState() }
        let player = ReplayPlayer(paths: logs, prepareCheckpoints: false)
        player.catchUpBudget = .zero
        let clock = ManualClock()
        let driver = ReplayDriver(player: player, alignment: .wallClock, clock: clock)
        driver.perform(.toEnd, report: { _ in })
        #expect(driver.statusLabel == "replay · 3 logs · aligned by wall clock · catching up: 2 panes")
        #expect(driver.hasWorkLeft)
        #expect(driver.tick(), "paused at the end, a tick still moves a pane")
        #expect(driver.tick())
        #expect(!driver.tick(), "nothing left")
        #expect(driver.statusLabel == "replay · 3 logs · aligned by wall clock")
        #expect(!driver.hasWorkLeft)
        #expect((0..<3).map { driver.snapshots(pane: $0).read().value.state } == finals)
    }

    @Test func skippedLinesOfALogShowInItsPane() async throws {
        let logs = try await recordLogs(count: 1)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logs[0]))
        handle.seekToEndOfFile()
        handle.write(Data("not a log line\n{\"t\":99.0,\"ru".utf8))
        try handle.close()
        let driver = ReplayDriver(player: ReplayPlayer(paths: logs), alignment: .start)
        let note = try #require(driver.note(pane: 0))
        #expect(note.hasSuffix("skipped (the last one torn) · log check tells which"))
        var model = AppModel(paneCount: 1, size: ScreenSize(width: 120, height: 20))
        model.isZoomed = true
        var memo = ConsoleView.Memo()
        let frame = PaneFrame(snapshot: driver.snapshots(pane: 0).read().value, version: 1, now: 0, answersCalls: false)
        var noted = frame
        noted.note = note
        let screen = ConsoleView.render(model, panes: [noted], chrome: .init(), memo: &memo).buffer.lines.joined(separator: "\n")
        #expect(screen.contains("skipped (the last one torn)"))
    }

    @Test func aBadLogGetsAFailedPaneAndTheOthersStillPlay() async throws {
        let logs = try await recordLogs(count: 1)
        let bad = makeTemporaryDirectory("convtui-replay-driver") + "/garbage.jsonl"
        try Data([0x00, 0xFF, 0x13, 0x37]).write(to: URL(fileURLWithPath: bad))
        let driver = ReplayDriver(player: ReplayPlayer(paths: logs + [bad]), alignment: .start)
        #expect(driver.snapshots(pane: 1).read().value.state.phase.name == "failed")
        // The reason shows in the pane, not only on stderr after quitting.
        let frames = (0..<2).map { PaneFrame(snapshot: driver.snapshots(pane: $0).read().value, version: 1, now: 0, answersCalls: false) }
        var memo = ConsoleView.Memo()
        var model = AppModel(paneCount: 2, size: ScreenSize(width: 120, height: 20))
        model.focus = 1
        model.isZoomed = true
        let screen = ConsoleView.render(model, panes: frames, chrome: .init(), memo: &memo).buffer.lines.joined(separator: "\n")
        #expect(screen.contains("garbage.jsonl:"))
        driver.perform(.toEnd, report: { _ in })
        #expect(driver.snapshots(pane: 0).read().value.state.counters.eventsIn > 30)
    }
}
