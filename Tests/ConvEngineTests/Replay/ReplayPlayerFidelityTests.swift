import Foundation
import Testing
@testable import ConvEngine
import TestSupport

/// The replay of a real recorded session ends exactly where the live session ended, and every
/// seek lands on the fold of the events up to that time.
@Suite("Replay player fidelity")
struct ReplayPlayerFidelityTests {
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func replayEqualsTheLiveSession(seed: UInt64) async throws {
        let logs = TestLogs()
        let options = SimOptions(seed: seed, pace: 0.05, bargeInRate: 0.4, toolCallRate: 0.3, faults: SimFaults(errorRate: 0.2))
        let clock = ManualClock()
        let board = try SessionBoard.simulated(
            count: 2, options: options, recording: try RecordingDirectory(path: logs.directory), clock: clock)
        board.startAll()
        await clock.pass(.milliseconds(400), by: .milliseconds(5))
        board.sessions[0].stop()
        try? await board.sessions[1].sendText("hello from the test, seed \(seed)")
        await clock.pass(.milliseconds(150), by: .milliseconds(5))
        board.sessions[0].start()
        await clock.pass(.milliseconds(400), by: .milliseconds(5))
        board.sessions[1].restart()
        await clock.pass(.milliseconds(300), by: .milliseconds(5))
        await board.shutdown()

        for session in board.sessions {
            let path = try #require(session.logPath)
            let player = ReplayPlayer(paths: [path], alignment: .start)
            player.goToEnd()
            let replayed = player.panes[0].snapshots.read().value
            #expect(replayed.state == session.snapshot.state, "seed \(seed), \(session.name)")
            #expect(replayed.json == SessionSnapshot(number: 1, name: session.name, state: session.snapshot.state, logPath: nil).json)

            let log = try SessionLogReader.read(path: path)
            #expect(log.problems.isEmpty)
            var random = SimRandom(seed: seed)
            let times = (0..<25).map { _ in Int64(random.next() % UInt64(player.clock.total + 2)) }
            let expected = TestLogs.folds(log, atTimes: times)
            for time in times {
                player.seek(to: time)
                #expect(player.panes[0].snapshots.read().value.state == expected[time], "seek to \(time)")
            }
        }
    }
}
