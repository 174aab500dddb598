import Foundation
import Synchronization
import Testing
@testable import ConvEngine
import TestSupport

/// Seeded random start/stop/restart/send/stream/cancel/inject operations over many sessions,
/// with the isolation and send-gate invariants checked after every step.
///
/// The suite runs 12 sessions × 300 steps per seed; the full stress run is
/// `CONVTUI_STRESS_SESSIONS=64 CONVTUI_STRESS_STEPS=10000 swift test --filter RandomInterleavingTests`.
@Suite("Random interleavings")
struct RandomInterleavingTests {
    private static func setting(_ name: String, _ fallback: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap(Int.init) ?? fallback
    }

    /// How long a step may take before it counts as wedged: a deadlock never ends, so the bound
    /// only needs to be far above a step's time on a loaded machine (5 s once ran out there,
    /// for the very first step, at the start of the suite beside two CPU hogs).
    private static let wedged = Duration.seconds(30)

    /// Runs `operation`, failing the test with every session's phase if it takes longer than
    /// `limit`: a wedged send or stop is a deadlock, and a dump says where.
    private func watchdog(
        _ limit: Duration, step: Int, sessions: [ConversationSession], _ operation: @escaping @Sendable () async -> Void
    ) async -> Bool {
        let done = DoneFlag()
        Task {
            await operation()
            done.value.store(true, ordering: .releasing)
        }
        let finished = await eventually(timeout: limit) { done.value.load(ordering: .acquiring) }
        if !finished {
            let phases = sessions.map { "\($0.name): \($0.phase) gate \($0.sendGate.isHeld ? "held" : "free")" }
            Issue.record("step \(step) did not finish within \(limit); sessions:\n\(phases.joined(separator: "\n"))")
        }
        return finished
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func invariantsHoldAfterEveryStep(seed: UInt64) async throws {
        var random = SimRandom(seed: seed)
        let sessionCount = Self.setting("CONVTUI_STRESS_SESSIONS", 12)
        let steps = Self.setting("CONVTUI_STRESS_STEPS", 300)
        let transports = (0..<sessionCount).map { TestTransports(.init(conversationId: "s\($0)")) }
        let sessions = try transports.enumerated().map { i, t in
            try ConversationSession.testing(i + 1, name: "s\(i + 1)", transports: t)
        }
        var expectedRuns = [Int](repeating: 0, count: sessions.count)
        var streams = [Task<Void, Never>?](repeating: nil, count: sessions.count)
        for step in 0..<steps {
            let i = Int.random(in: 0..<sessions.count, using: &random)
            let target = sessions[i]
            // Sessions that are connecting, stopping or streaming publish on their own (the step's
            // awaits let them run); every settled one must stay still.
            let others = sessions.indices.filter { k in
                k != i && streams[k] == nil && (sessions[k].phase.isLive || !sessions[k].phase.isActive)
            }
            let before = others.map { sessions[$0].snapshots.version }
            switch Int.random(in: 0..<8, using: &random) {
            case 0:
                if target.start() { expectedRuns[i] += 1 }
            case 1:
                target.stop()
            case 2:
                target.restart()
                expectedRuns[i] += 1
            case 3:
                guard await watchdog(Self.wedged, step: step, sessions: sessions, { _ = try? await target.sendText("step \(step)") }) else { return }
            case 4:
                guard await watchdog(Self.wedged, step: step, sessions: sessions, {
                    _ = try? await target.sendAudioChunk(AudioChunk(pcm: [0, 0, 1, 0], sampleRate: 16000))
                }) else { return }
            case 5 where streams[i] == nil:
                // A paced stream left running in the background: it holds the gate until it ends or is cancelled.
                let audio = AudioChunk(pcm: [UInt8](repeating: 0, count: 3200), sampleRate: 16000)
                streams[i] = Task { _ = try? await target.streamAudio(audio, chunkMilliseconds: 20) }
            case 6:
                if let stream = streams[i] {
                    stream.cancel()
                    guard await watchdog(Self.wedged, step: step, sessions: sessions, { await stream.value }) else { return }
                    streams[i] = nil
                }
            default:
                if target.phase.isLive, let transport = transports[i].latest {
                    transport.inject(.interruption(eventId: step), .agentAudio(eventId: step, bytes: 4, durationMs: 1))
                }
            }
            // Acting on one session publishes nothing on any other.
            #expect(others.map { sessions[$0].snapshots.version } == before, "step \(step) touched another session")
            for (k, session) in sessions.enumerated() where streams[k] == nil {
                #expect(!session.sendGate.isHeld, "step \(step): gate left held on session \(k + 1)")
            }
            for (k, session) in sessions.enumerated() {
                #expect(session.snapshot.state.run == expectedRuns[k], "step \(step): run number of session \(k + 1)")
            }
        }
        // Streams end on their own or by cancellation; afterwards no gate is held anywhere.
        for stream in streams.compactMap({ $0 }) {
            stream.cancel()
            await stream.value
        }
        #expect(sessions.allSatisfy { !$0.sendGate.isHeld })
        // Every session can still be driven to live and then to a clean end.
        for session in sessions {
            session.stop()
            #expect(await eventually { !session.phase.isActive })
            #expect(session.start())
        }
        #expect(await eventually { sessions.allSatisfy { $0.phase.isLive } })
        for (i, session) in sessions.enumerated() {
            #expect(session.snapshot.state.conversationId == "s\(i)-\(session.snapshot.state.run)")
            // Every live session still takes server events.
            let received = session.snapshot.state.counters.eventsIn
            transports[i].latest?.inject(.ping(eventId: nil, latencyMs: 1))
            #expect(await eventually { session.snapshot.state.counters.eventsIn > received }, "session \(i + 1) stopped receiving")
            session.stop()
        }
        #expect(await eventually { sessions.allSatisfy { !$0.phase.isActive } })
    }
}

/// Set once a watched operation returns.
private final class DoneFlag: Sendable {
    let value = Atomic<Bool>(false)
}
