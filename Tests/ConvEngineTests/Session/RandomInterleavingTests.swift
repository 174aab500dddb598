import Testing
@testable import ConvEngine
import TestSupport

/// Seeded random start/stop/restart/send/inject operations over many sessions, with the
/// isolation and send-gate invariants checked after every step.
@Suite("Random interleavings")
struct RandomInterleavingTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func invariantsHoldAfterEveryStep(seed: UInt64) async throws {
        var random = SimRandom(seed: seed)
        let transports = (0..<12).map { TestTransports(.init(conversationId: "s\($0)")) }
        let sessions = try transports.enumerated().map { i, t in
            try ConversationSession.testing(i + 1, name: "s\(i + 1)", transports: t, stopGrace: .milliseconds(100))
        }
        var expectedRuns = [Int](repeating: 0, count: sessions.count)
        for step in 0..<300 {
            let i = Int.random(in: 0..<sessions.count, using: &random)
            let target = sessions[i]
            let others = sessions.indices.filter { $0 != i }
            let before = others.map { sessions[$0].snapshots.version }
            switch Int.random(in: 0..<6, using: &random) {
            case 0:
                if target.start() { expectedRuns[i] += 1 }
            case 1:
                target.stop()
            case 2:
                target.restart()
                expectedRuns[i] += 1
            case 3:
                _ = try? await target.sendText("step \(step)")
            case 4:
                _ = try? await target.sendAudioChunk(AudioChunk(pcm: [0, 0, 1, 0], sampleRate: 16000))
            default:
                if target.phase.isLive, let transport = transports[i].latest {
                    transport.inject(.interruption(eventId: step), .agentAudio(eventId: step, bytes: 4, durationMs: 1))
                }
            }
            // Acting on one session publishes nothing on any other.
            #expect(others.map { sessions[$0].snapshots.version } == before, "step \(step) touched another session")
            for (k, session) in sessions.enumerated() {
                #expect(!session.sendGate.isHeld, "step \(step): gate left held on session \(k + 1)")
                #expect(session.snapshot.state.run == expectedRuns[k], "step \(step): run number of session \(k + 1)")
            }
        }
        // Every session can still be driven to live and then to a clean end.
        for session in sessions {
            session.stop()
            #expect(await eventually { !session.phase.isActive })
            #expect(session.start())
        }
        #expect(await eventually { sessions.allSatisfy { $0.phase.isLive } })
        for (i, session) in sessions.enumerated() {
            #expect(session.snapshot.state.conversationId == "s\(i)-\(session.snapshot.state.run)")
            session.stop()
        }
        #expect(await eventually { sessions.allSatisfy { !$0.phase.isActive } })
    }
}
