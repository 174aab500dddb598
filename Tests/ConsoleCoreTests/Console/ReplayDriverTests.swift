import ConvEngine
import Foundation
import Testing

@testable import ConsoleCore
import TestSupport

/// The replay driver over real logs recorded by simulated sessions.
@Suite struct ReplayDriverTests {
    /// Records `count` simulated sessions for a moment and returns their logs.
    private func recordLogs(count: Int) async throws -> [String] {
        let directory = try RecordingDirectory(path: makeTemporaryDirectory("convtui-replay-driver"))
        let clock = ManualClock()
        let board = try SessionBoard.simulated(
            count: count, options: SimOptions(seed: 9, bargeInRate: 0.5), recording: directory, clock: clock)
        board.startAll()
        #expect(await clock.advance { board.sessions.allSatisfy { $0.snapshot.state.counters.eventsIn > 30 } })
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

    @Test func aBadLogGetsAFailedPaneAndTheOthersStillPlay() async throws {
        let logs = try await recordLogs(count: 1)
        let bad = makeTemporaryDirectory("convtui-replay-driver") + "/garbage.jsonl"
        try Data([0x00, 0xFF, 0x13, 0x37]).write(to: URL(fileURLWithPath: bad))
        let driver = ReplayDriver(player: ReplayPlayer(paths: logs + [bad]), alignment: .start)
        #expect(driver.snapshots(pane: 1).read().value.state.phase.name == "failed")
        driver.perform(.toEnd, report: { _ in })
        #expect(driver.snapshots(pane: 0).read().value.state.counters.eventsIn > 30)
    }
}
