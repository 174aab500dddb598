import Testing
@testable import ConvEngine

@Suite("Session reducer")
struct SessionReducerTests {
    /// Folds `kinds` (run 1) at 100 ms steps after a run start.
    private func fold(_ kinds: [SessionEvent.Kind], capacity: Int = 50) -> SessionState {
        var state = SessionState(backend: "test", transcriptCapacity: capacity, eventCapacity: capacity)
        let all: [SessionEvent.Kind] = [.runStarted(backend: "test"), .connected(conversationId: "c1")] + kinds
        for (i, kind) in all.enumerated() {
            state = state.applying(SessionEvent(offset: Int64(i) * 100_000, run: 1, kind: kind))
        }
        return state
    }

    @Test func phasesFollowTheConversation() {
        #expect(fold([]).phase == .live(.listening))
        #expect(fold([.userSpeechStarted]).phase == .live(.userSpeaking))
        #expect(fold([.userSpeechStarted, .userSpeechStopped]).phase == .live(.agentThinking))
        #expect(fold([.agentTextDelta(responseId: "r", text: "hi")]).phase == .live(.agentSpeaking))
        #expect(fold([.agentAudio(eventId: 1, bytes: 1, durationMs: 1), .agentAudioDone]).phase == .live(.listening))
        #expect(fold([.stopRequested]).phase == .stopping)
        #expect(fold([.stopRequested, .ended(reason: "bye")]).phase == .ended(reason: "bye"))
        #expect(fold([.failed(error: "boom")]).phase == .failed(error: "boom"))
        #expect(fold([.failed(error: "boom")]).counters.errors == 1)
    }

    /// Retries of one lost connection fold into one line with its count.
    @Test func retriesFoldIntoOneLine() {
        let state = fold((1...3).map { .serverError(code: "reconnecting", message: "connection lost (1006); try \($0) of 5") })
        let errors = state.transcript.filter { $0.role == .error }.map(\.text)
        #expect(errors == ["reconnecting: connection lost (1006); try 3 of 5"])
        #expect(state.counters.errors == 3)
    }

    @Test func streamingTextGrowsInPlaceAndFinalizes() {
        let state = fold([
            .agentTextDelta(responseId: "r1", text: "Hel"), .agentTextDelta(responseId: "r1", text: "lo"),
            .agentTextDone(responseId: "r1", text: nil),
        ])
        let agent = state.transcript.filter { $0.role == .agent }
        #expect(agent.map(\.text) == ["Hello"])
        #expect(agent.first?.status == .final)
        #expect(fold([.agentTextDelta(responseId: "r1", text: "Hel")]).transcript.last?.status == .streaming)
    }

    @Test func tentativeTranscriptIsReplacedByFinal() {
        let state = fold([
            .userTranscript(text: "I ne", isFinal: false), .userTranscript(text: "I need a", isFinal: false),
            .userTranscript(text: "I need a flight.", isFinal: true),
        ])
        #expect(state.transcript.filter { $0.role == .user }.map(\.text) == ["I need a flight."])
        #expect(state.transcript.last?.status == .final)
    }

    @Test func interruptionMarksTurnAndDropsStaleAudio() {
        // The interruption test vector (docs/backends.md, "Wire facts"): audio 5, audio 6, interruption 6, audio 6 dropped, audio 7 kept.
        let state = fold([
            .agentTextDelta(responseId: "r", text: "long answer"),
            .agentAudio(eventId: 5, bytes: 10, durationMs: 1), .agentAudio(eventId: 6, bytes: 10, durationMs: 1),
            .interruption(eventId: 6), .agentAudio(eventId: 6, bytes: 10, durationMs: 1),
            .agentAudio(eventId: 7, bytes: 10, durationMs: 1),
        ])
        #expect(state.counters.staleAudioDropped == 1)
        #expect(state.counters.audioBytesIn == 30)
        #expect(state.counters.interruptions == 1)
        #expect(state.lastInterruptId == 6)
        #expect(state.transcript.last(where: { $0.role == .agent })?.status == .interrupted)
    }

    @Test func responseLatencyIsMeasuredFromEndOfUserTurn() {
        // user_speech_stopped at 300 ms, first agent output at 500 ms.
        let state = fold([.userSpeechStarted, .userSpeechStopped, .agentThinking, .agentTextDelta(responseId: "r", text: "ok")])
        #expect(state.lastResponseMilliseconds == 200)
        #expect(fold([.ping(eventId: 1, latencyMs: 42), .ping(eventId: 2, latencyMs: nil)]).lastPingMilliseconds == 42)
    }

    @Test func correctionReplacesTextOfTheLastAgentTurn() {
        let state = fold([
            .agentTextDone(responseId: "r", text: "The fare is 412 euros."),
            .agentCorrection(original: "412 euros", corrected: "421 euros"),
        ])
        #expect(state.transcript.last?.text == "The fare is 421 euros.")
    }

    @Test func eventsOfAnotherRunAreIgnored() {
        let state = fold([])
        let stale = state.applying(SessionEvent(offset: 9, run: 0, kind: .agentTextDelta(responseId: "x", text: "old")))
        #expect(stale == state)
        let replayedStart = state.applying(SessionEvent(offset: 9, run: 1, kind: .runStarted(backend: "test")))
        #expect(replayedStart == state)
        let next = state.applying(SessionEvent(offset: 9, run: 2, kind: .runStarted(backend: "test")))
        #expect(next.run == 2 && next.phase == .connecting && next.conversationId == nil)
    }

    @Test func transcriptIsBoundedButCountsEverything() {
        let kinds = (0..<30).map { SessionEvent.Kind.userMessage(text: "m\($0)") }
        let state = fold(kinds, capacity: 10)
        #expect(state.transcript.count == 10)
        #expect(state.transcript.last?.text == "m29")
        #expect(state.transcript.last?.sequence == 31, "the run-start note plus 30 messages")
        #expect(state.counters.eventsOut == 30)
        #expect(state.recentEvents.count == 10)
    }

    @Test func countersByDirection() {
        let state = fold([
            .userMessage(text: "hi"), .userAudio(bytes: 3200, durationMs: 100), .agentAudio(eventId: nil, bytes: 8000, durationMs: 250),
            .unknown(type: "x"), .malformed(detail: "y"), .serverError(code: "c", message: "m"), .toolCall(callId: "1", name: "t", arguments: ""),
            .usage(inputTokens: 5, outputTokens: 7),
        ])
        #expect(state.counters.eventsOut == 2)
        #expect(state.counters.eventsIn == 7, "connected plus six incoming")
        #expect(state.counters.audioMillisecondsOut == 100 && state.counters.audioMillisecondsIn == 250)
        #expect(state.counters.unknownEvents == 1 && state.counters.errors == 2 && state.counters.toolCalls == 1)
        #expect(state.counters.inputTokens == 5 && state.counters.outputTokens == 7)
        #expect(state.lastError == "c: m")
    }
}
