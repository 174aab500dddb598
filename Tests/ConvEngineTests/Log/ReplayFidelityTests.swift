import Testing
@testable import ConvEngine
import TestSupport

/// Folding a session log with the reducer gives exactly the state the live session ended in.
@Suite("Replay fidelity")
struct ReplayFidelityTests {
    @Test(arguments: [7, 11, 23] as [UInt64])
    func foldedLogEqualsLiveFinalState(seed: UInt64) async throws {
        let directory = try RecordingDirectory(path: makeTemporaryDirectory())
        let clock = ManualClock()
        let board = try SessionBoard.simulated(
            count: 4, options: SimOptions(seed: seed, pace: 0.03, bargeInRate: 0.4, toolCallRate: 0.3), recording: directory,
            clock: clock)
        board.startAll()
        #expect(await clock.advance { board.sessions.allSatisfy { $0.snapshot.state.counters.eventsIn > 20 } })
        board.sessions[0].restart()
        try? await board.sessions[1].sendText("hello from the test")
        #expect(await clock.advance { board.sessions[0].phase.isLive })
        await clock.pass(.milliseconds(200), by: .milliseconds(5))
        await board.shutdown()
        for session in board.sessions {
            let log = try SessionLogReader.read(path: try #require(session.logPath))
            #expect(log.problems.isEmpty)
            #expect(log.header.sessionName == session.name)
            #expect(log.finalState() == session.snapshot.state, "session \(session.name)")
        }
        #expect(board.sessions[0].snapshot.state.run == 2)
        #expect(board.sessions[1].snapshot.state.transcript.contains { $0.text == "hello from the test" })
    }
}
