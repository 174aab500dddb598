import Testing
@testable import ConvEngine
import TestSupport

/// What one call of the transport's sink does with the events of a frame.
@Suite("Session batches")
struct SessionBatchTests {
    /// A frame's events: folded, logged and observed in order, with one offset, one publish.
    @Test func aBatchIsLoggedAndObservedInOrderAndPublishedOnce() async throws {
        let transports = TestTransports()
        let observed = Locked<[SessionEvent]>([])
        let session = try ConversationSession(
            number: 1, name: "batch", backend: "test", recording: try RecordingDirectory(path: makeTemporaryDirectory()),
            observer: { event in observed.withLock { $0.append(event) } }, makeTransport: transports.factory)
        session.start()
        #expect(await eventually { session.phase.isLive })
        let version = session.snapshots.version
        let before = observed.withLock { $0.count }
        transports.latest?.inject(
            .agentTextDelta(responseId: "r", text: "Hel"), .agentTextDelta(responseId: "r", text: "lo"), .agentTextDone(responseId: "r", text: nil))
        #expect(session.snapshots.version == version + 1)
        #expect(session.snapshot.state.transcript.last?.text == "Hello")
        let batch = Array(observed.withLock { $0 }[before...])
        #expect(batch.map(\.kind) == [
            .agentTextDelta(responseId: "r", text: "Hel"), .agentTextDelta(responseId: "r", text: "lo"), .agentTextDone(responseId: "r", text: "Hello"),
        ], "the done event carries the whole text")
        #expect(Set(batch.map(\.offset)).count == 1 && batch.allSatisfy { $0.run == 1 })
        session.stop()
        await session.closeLog()
        let log = try SessionLogReader.read(path: try #require(session.logPath))
        #expect(log.events == observed.withLock { $0 }, "the log holds what the observer saw, in the same order")
    }

    /// A run's `ended` or `failed` stays its last event: the turn the failure cuts short and
    /// the alert it raises are recorded just before it, in the log as for the observer.
    @Test func whatARunsEndSetsOffComesBeforeTheEnd() async throws {
        let transports = TestTransports()
        let session = try ConversationSession(
            number: 1, name: "end", backend: "test", recording: try RecordingDirectory(path: makeTemporaryDirectory()),
            makeTransport: transports.factory)
        session.start()
        #expect(await eventually { session.phase.isLive })
        transports.latest?.inject(.userMessage(text: "hi"))
        transports.latest?.inject(.agentTextDelta(responseId: "r", text: "Hel"))
        transports.latest?.inject(.failed(error: "boom"))
        await session.closeLog()
        let kinds = try SessionLogReader.read(path: try #require(session.logPath)).events.map(\.kind)
        #expect(kinds.last == .failed(error: "boom"))
        let tail = kinds.suffix(3).map(\.typeName)
        #expect(tail.contains("alert"), "the failed-run alert, before the failure: \(tail)")
        #expect(kinds.contains { if case .turnMetrics = $0 { true } else { false } }, "the cut-short turn is measured")
    }

    /// What a batch sets off (the turn it completes, an alert that turn raises) is folded,
    /// logged and observed with it: the same offset, right after it, in one publish.
    @Test func whatABatchSetsOffGoesWithIt() async throws {
        let transports = TestTransports()
        let observed = Locked<[SessionEvent]>([])
        let clock = ManualClock()
        var rules = AlertRules()
        rules.slowTurnMs = 100
        let session = try ConversationSession(
            number: 1, name: "derived", backend: "test", recording: try RecordingDirectory(path: makeTemporaryDirectory()),
            observer: { event in observed.withLock { $0.append(event) } }, alertRules: rules, clock: clock,
            makeTransport: transports.factory)
        session.start()
        #expect(await eventually { session.phase.isLive })
        transports.latest?.inject(.userMessage(text: "hi"))
        clock.advance(by: .milliseconds(250))
        transports.latest?.inject(.agentTextDelta(responseId: "r", text: "Hello"))
        let version = session.snapshots.version
        let before = observed.withLock { $0.count }
        transports.latest?.inject(.agentTextDone(responseId: "r", text: "Hello"), .agentAudioDone)
        #expect(session.snapshots.version == version + 1, "one publish for the batch and what it set off")
        let batch = Array(observed.withLock { $0 }[before...])
        #expect(batch.map(\.kind.typeName) == ["agent_text_done", "agent_audio_done", "turn_metrics", "alert"])
        #expect(Set(batch.map(\.offset)).count == 1)
        #expect(session.snapshot.state.alerts.map(\.rule) == ["slow_turn"])
        #expect(session.snapshot.state.recentEvents.last?.type == "alert")
        session.stop()
        await session.closeLog()
        let log = try SessionLogReader.read(path: try #require(session.logPath))
        #expect(log.events == observed.withLock { $0 }, "the log holds what the observer saw, in the same order")
    }
}
