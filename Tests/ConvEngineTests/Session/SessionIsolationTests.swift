import Testing
@testable import ConvEngine
import TestSupport

/// The first classic bug: conversation objects sharing a stop signal. Each test would fail if
/// any of a session's state (stop signal, ids, watermark) were shared between instances.
@Suite("Session isolation")
struct SessionIsolationTests {
    @Test func sessionCreatedAfterAnotherStoppedStartsLive() async throws {
        let transportsA = TestTransports(.init(conversationId: "a"))
        let a = try ConversationSession.testing(1, name: "a", transports: transportsA)
        a.start()
        #expect(await eventually { a.phase.isLive })
        a.stop()
        #expect(await eventually { a.phase == .ended(reason: "stopped by operator") })

        let transportsB = TestTransports(.init(conversationId: "b"))
        let b = try ConversationSession.testing(2, name: "b", transports: transportsB)
        b.start()
        #expect(await eventually { b.phase.isLive })
        transportsB.latest?.inject(.agentTextDelta(responseId: "r1", text: "hello"))
        #expect(await eventually { b.snapshot.state.transcript.last?.text == "hello" })
        #expect(b.phase.isLive)
        #expect(a.phase == .ended(reason: "stopped by operator"))
    }

    @Test func stoppingOneNeverChangesAnother() async throws {
        let transports = TestTransports()
        let a = try ConversationSession.testing(1, name: "a", transports: transports)
        let b = try ConversationSession.testing(2, name: "b", transports: TestTransports())
        a.start()
        b.start()
        #expect(await eventually { a.phase.isLive && b.phase.isLive })
        let before = b.snapshots.version
        a.stop()
        #expect(await eventually { a.phase == .ended(reason: "stopped by operator") })
        #expect(b.phase.isLive)
        #expect(b.snapshots.version == before, "stopping A published nothing on B")
        #expect(transports.latest?.isClosed == true)
    }

    @Test func restartGivesNewRunAndConversation() async throws {
        let transports = TestTransports(.init(conversationId: "c"))
        let session = try ConversationSession.testing(transports: transports)
        session.start()
        #expect(await eventually { session.phase.isLive })
        let first = session.snapshot.state
        session.restart()
        #expect(await eventually { session.phase.isLive && session.snapshot.state.run == 2 })
        let second = session.snapshot.state
        #expect(first.run == 1)
        #expect(first.conversationId == "c-1")
        #expect(second.conversationId == "c-2")
        #expect(transports.all.count == 2)
        #expect(transports.all[0].isClosed)
    }

    @Test func lateEventsFromAnEarlierRunAreDropped() async throws {
        let transports = TestTransports()
        let session = try ConversationSession.testing(transports: transports)
        session.start()
        #expect(await eventually { session.phase.isLive })
        let oldTransport = try #require(transports.latest)
        session.restart()
        #expect(await eventually { session.phase.isLive && session.snapshot.state.run == 2 })
        let before = session.snapshot.state
        oldTransport.inject(.agentTextDelta(responseId: "old", text: "from run 1"), .interruption(eventId: 99))
        try await Task.sleep(for: .milliseconds(20))
        #expect(session.snapshot.state == before)
    }

    @Test func interruptionInOneNeverMovesAnothersWatermark() async throws {
        let transportsA = TestTransports()
        let transportsB = TestTransports()
        let a = try ConversationSession.testing(1, name: "a", transports: transportsA)
        let b = try ConversationSession.testing(2, name: "b", transports: transportsB)
        a.start()
        b.start()
        #expect(await eventually { a.phase.isLive && b.phase.isLive })
        transportsB.latest?.inject(.interruption(eventId: 3))
        transportsA.latest?.inject(.interruption(eventId: 40))
        #expect(await eventually { a.snapshot.state.lastInterruptId == 40 && b.snapshot.state.lastInterruptId == 3 })
        // B's audio 5 is after B's watermark (3), so it plays even though A's watermark is 40.
        transportsB.latest?.inject(.agentAudio(eventId: 5, bytes: 100, durationMs: 10))
        transportsA.latest?.inject(.agentAudio(eventId: 5, bytes: 100, durationMs: 10))
        #expect(await eventually { b.snapshot.state.counters.audioBytesIn == 100 && a.snapshot.state.counters.staleAudioDropped == 1 })
        #expect(b.snapshot.state.counters.staleAudioDropped == 0)
    }

    @Test func stopIsPromptEvenWhenTheTransportIgnoresIt() async throws {
        let transports = TestTransports(.init(ignoresCancellation: true))
        let session = try ConversationSession.testing(transports: transports)
        session.start()
        #expect(await eventually { session.phase.isLive })
        let clock = ContinuousClock()
        let elapsed = clock.measure { session.stop() }
        #expect(elapsed < .milliseconds(50), "stop() returned in \(elapsed)")
        #expect(session.phase == .ended(reason: "stopped by operator"), "ended by stop() itself, not by the wedged transport")
        #expect(session.start(), "a wedged transport does not block a new run")
        #expect(await eventually { session.phase.isLive && session.snapshot.state.run == 2 })
    }

    @Test func endAllEndsEveryRunBeforeReleasingAnySocket() async throws {
        let transports = (1...3).map { TestTransports(.init(conversationId: "s\($0)")) }
        let sessions = try transports.enumerated().map { i, t in try ConversationSession.testing(i + 1, name: "s\(i + 1)", transports: t) }
        let idle = try ConversationSession.testing(4, name: "idle", transports: TestTransports())
        let board = SessionBoard(sessions + [idle])
        for session in sessions { session.start() }
        #expect(await eventually { sessions.allSatisfy { $0.phase.isLive } })
        let idleVersion = idle.snapshots.version

        let stopped = board.endAll(reason: "stop all")
        #expect(stopped.count == 3, "the idle session had no run to end")
        #expect(sessions.allSatisfy { $0.phase == .ended(reason: "stop all") })
        #expect(transports.allSatisfy { $0.latest?.isClosed == false }, "no socket touched before release")
        // A frame that arrives between ending and releasing belongs to an ended run.
        let endedVersion = sessions[0].snapshots.version
        transports[0].latest?.inject(.agentTextDelta(responseId: "late", text: "late"))
        #expect(sessions[0].snapshots.version == endedVersion)

        stopped.release()
        #expect(transports.allSatisfy { $0.latest?.isClosed == true })
        #expect(idle.snapshots.version == idleVersion)
        #expect(sessions[1].start(), "an ended run can be followed by a new one at once")
    }

    @Test func simulatedSessionsRunIndependently() async throws {
        let clock = ManualClock()
        let board = try SessionBoard.simulated(count: 3, options: SimOptions(seed: 3), recording: nil, clock: clock)
        board.startAll()
        let sessions = board.sessions
        #expect(await clock.advance { sessions.allSatisfy { $0.snapshot.state.counters.eventsIn > 5 } })
        sessions[1].stop()
        #expect(!sessions[1].phase.isActive)
        let counts = sessions.map { $0.snapshot.state.counters.eventsIn }
        #expect(
            await clock.advance {
                sessions[0].snapshot.state.counters.eventsIn > counts[0] + 5 && sessions[2].snapshot.state.counters.eventsIn > counts[2] + 5
            })
        #expect(sessions[1].snapshot.state.counters.eventsIn == counts[1])
        await board.shutdown()
    }

    /// The simulator's tools are answered as configured tools are: none is left waiting for the
    /// operator (a demo pane would otherwise say "awaiting tool result" for good).
    @Test func simulatedToolCallsDoNotWaitForTheOperator() async throws {
        let clock = ManualClock()
        let board = try SessionBoard.simulated(count: 1, options: SimOptions(seed: 5, toolCallRate: 1), recording: nil, clock: clock)
        board.startAll()
        let session = board.sessions[0]
        #expect(await clock.advance { session.snapshot.state.counters.toolCalls >= 2 })
        let answered = session.snapshot.state.transcript.filter { $0.role == .tool && $0.text.contains(" → ") }
        #expect(!answered.isEmpty)
        let pending = Set(session.snapshot.state.pendingToolCalls.map(\.callId))
        for entry in answered {
            let callId = String(entry.text.prefix { $0 != " " })
            #expect(!pending.contains(callId), "\(callId) was answered but still waits")
        }
        session.stop()
    }
}
