import Testing
@testable import ConvEngine

@Suite("Turn metrics")
struct TurnMetricsTests {
    /// Folds `(ms, kind)` pairs of run 1 (after a run start and a connect at 0) and returns the state.
    private func fold(_ timed: [(Int64, SessionEvent.Kind)]) -> SessionState {
        var state = SessionState(backend: "test")
        let all: [(Int64, SessionEvent.Kind)] = [(0, .runStarted(backend: "test")), (0, .connected(conversationId: "c"))] + timed
        for (ms, kind) in all { state.apply(SessionEvent(offset: ms * 1000, run: 1, kind: kind)) }
        return state
    }

    @Test func voiceTurnStagesAreExact() throws {
        let state = fold([
            (100, .userSpeechStarted),
            (200, .userAudio(bytes: 3200, durationMs: 100)),
            (1_000, .userAudio(bytes: 3200, durationMs: 100)),
            (1_450, .userSpeechStopped),
            (1_700, .userTranscript(text: "hi", isFinal: true)),
            (1_800, .agentThinking),
            (2_050, .agentTextDelta(responseId: "r", text: "Hello")),
            (2_300, .agentAudio(eventId: 1, bytes: 4800, durationMs: 150)),
            (2_400, .agentAudio(eventId: 2, bytes: 4800, durationMs: 150)),
            (2_900, .agentAudioDone),
        ])
        let turn = try #require(state.metrics.lastTurn)
        #expect(turn == TurnMetrics(
            turn: 1, mode: .voice, voiceToVoiceMs: 1_300, endpointingMs: 450, transcriptMs: 250, responseToTextMs: 250,
            responseToAudioMs: 500, firstTextMs: 600, firstAudioMs: 850, doneMs: 1_450, agentAudioMs: 300, talkOverMs: 0))
        #expect(state.metrics.turns == 1)
        #expect(state.metrics.runLatency.percentile(50) == 1_300)
        #expect(state.metrics.recentLatencies == [1_300])
    }

    @Test func textTurnMeasuresFromTheSend() throws {
        let state = fold([
            (500, .userMessage(text: "hello")),
            (900, .agentTextDelta(responseId: "r", text: "Hi")),
            (1_300, .agentTextDone(responseId: "r", text: nil)),
            (1_300, .agentAudioDone),
        ])
        let turn = try #require(state.metrics.lastTurn)
        #expect(turn.mode == .text)
        #expect(turn.firstTextMs == 400)
        #expect(turn.firstAudioMs == nil)
        #expect(turn.voiceToVoiceMs == nil)
        #expect(turn.doneMs == 800)
        #expect(turn.latencyMs == 400)
    }

    @Test func bargeInCountsWhatWasHeard() throws {
        let state = fold([
            (0, .userTranscript(text: "hi", isFinal: true)),
            (700, .agentAudio(eventId: 1, bytes: 1, durationMs: 500)),
            (900, .agentAudio(eventId: 2, bytes: 1, durationMs: 500)),
            (1_100, .interruption(eventId: 2)),
            // Stale audio after the barge-in is neither heard nor measured.
            (1_150, .agentAudio(eventId: 2, bytes: 1, durationMs: 500)),
        ])
        let turn = try #require(state.metrics.lastTurn)
        #expect(turn.interrupted)
        #expect(turn.heardMs == 400)
        #expect(turn.agentAudioMs == 1_000)
        #expect(turn.voiceToVoiceMs == 700)
        #expect(state.metrics.interruptedTurns == 1)
    }

    @Test func toolCallsAndPingAreTimed() throws {
        let state = fold([
            (0, .ping(eventId: 1, latencyMs: 42)),
            (100, .userMessage(text: "weather?")),
            (300, .toolCall(callId: "c1", name: "weather", arguments: "{}")),
            (1_050, .toolResult(callId: "c1", result: "sun", isError: false)),
            (1_200, .agentTextDone(responseId: "r", text: "Sunny")),
            (2_000, .userSpeechStarted),
        ])
        let turn = try #require(state.metrics.lastTurn)
        #expect(turn.toolMs == [750])
        #expect(turn.pingMs == 42)
        #expect(turn.firstTextMs == 1_100)
    }

    @Test func aToolCallStillWaitingWhenItsTurnEndsIsNotTimedInTheNext() throws {
        let state = fold([
            (100, .userMessage(text: "weather?")),
            (200, .toolCall(callId: "c1", name: "weather", arguments: "{}")),
            (300, .agentTextDone(responseId: "r", text: "Checking")),
            (400, .userMessage(text: "never mind")),
            (900, .toolResult(callId: "c1", result: "sun", isError: false)),
            (1_000, .toolCall(callId: "c2", name: "time", arguments: "{}")),
            (1_040, .toolResult(callId: "c2", result: "noon", isError: false)),
            (1_200, .agentTextDone(responseId: "r2", text: "Noon")),
            (2_000, .userSpeechStarted),
        ])
        #expect(state.metrics.turns == 2)
        #expect(try #require(state.metrics.lastTurn).toolMs == [40])
    }

    @Test func aCopyKeepsItsFiguresWhileTheSessionMeasuresOn() throws {
        let turn: [(Int64, SessionEvent.Kind)] = [
            (100, .userMessage(text: "a")), (600, .agentTextDone(responseId: "r", text: "b")), (700, .agentAudioDone),
        ]
        var state = fold(turn)
        // What a published snapshot holds while the session goes on.
        let published = state
        let next: [(Int64, SessionEvent.Kind)] = [
            (1_000, .userMessage(text: "c")), (3_000, .agentTextDone(responseId: "r2", text: "d")), (3_100, .userSpeechStarted),
        ]
        for (ms, kind) in next { state.apply(SessionEvent(offset: ms * 1000, run: 1, kind: kind)) }
        #expect(published.metrics.turns == 1)
        #expect(published.metrics.recentLatencies == [500])
        #expect(published.metrics.latency == LatencyDistribution([500]))
        #expect(published.metrics.runP95 == 500)
        #expect(state.metrics.recentLatencies == [500, 2_000])
        #expect(state.metrics.latency == LatencyDistribution([500, 2_000]))
        #expect(state.metrics.runP95 == 2_000)
        #expect(published != state)
        #expect(published == fold(turn))
    }

    @Test func anUnansweredTurnIsNotCountedAndARestartStartsTheRunFiguresAfresh() {
        var state = fold([
            (0, .userMessage(text: "a")), (500, .agentTextDone(responseId: "r", text: "b")), (600, .agentAudioDone),
            (700, .userMessage(text: "c")), (800, .ended(reason: "bye")),
        ])
        #expect(state.metrics.turns == 1)
        state.apply(SessionEvent(offset: 1_000_000, run: 2, kind: .runStarted(backend: "test")))
        #expect(state.metrics.turns == 1)
        #expect(state.metrics.restarts == 1)
        #expect(state.metrics.runLatency.isEmpty)
        #expect(state.metrics.latency.count == 1)
        #expect(state.metrics.lastTurn == nil)
    }

    @Test func deadAirIsTheUnansweredTurn() {
        let waiting = fold([(100, .userMessage(text: "a"))])
        #expect(waiting.metrics.tracker.awaitingSince == 100_000)
        let answered = fold([(100, .userMessage(text: "a")), (200, .agentTextDelta(responseId: "r", text: "b"))])
        #expect(answered.metrics.tracker.awaitingSince == nil)
    }

    @Test func turnMetricsLinesRoundTrip() throws {
        let turn = TurnMetrics(
            turn: 3, mode: .voice, voiceToVoiceMs: 812, endpointingMs: 300, firstAudioMs: 512, agentAudioMs: 2_000, interrupted: true,
            heardMs: 900, toolMs: [12, 40], pingMs: 30)
        for kind: SessionEvent.Kind in [.turnMetrics(turn), .alert(rule: "dead_air", raised: true, reason: "no output 6.00 s")] {
            let event = SessionEvent(offset: 1_500_000, run: 2, kind: kind)
            var line: [UInt8] = []
            event.writeLogLine(into: &line)
            let parsed = try JSONParser.parse(line)
            #expect(try SessionEvent(json: parsed) == event)
        }
    }

    /// Audio durations come from the server: absurd ones saturate the turn's sum, never trap.
    @Test func hostileAudioDurationsSaturate() throws {
        let state = fold([
            (100, .userSpeechStarted),
            (1_000, .userSpeechStopped),
            (2_000, .agentAudio(eventId: 1, bytes: 4800, durationMs: Int.max)),
            (2_100, .agentAudio(eventId: 2, bytes: 4800, durationMs: Int.max)),
            (2_900, .agentAudioDone),
        ])
        #expect(try #require(state.metrics.lastTurn).agentAudioMs == JSONValue.maxSafeInteger)
    }

    /// Talk-over: the user's audio sent between turns while the agent's reply still plays
    /// (it arrived in a burst and plays at speaking speed) counts for the turn that audio leads
    /// to; the trailing silence sent once the user's turn ended does not, and an interruption
    /// stops the reply playing.
    @Test func talkOverCountsUserAudioSentWhileTheAgentPlays() throws {
        var tracker = TurnTracker()
        var turns: [TurnMetrics] = []
        for (ms, kind) in [(Int64, SessionEvent.Kind)]([
            (0, .runStarted(backend: "test")),
            (0, .userTranscript(text: "hi", isFinal: true)),
            // A 2 s reply arrives at once at 500 ms: it plays until 2 500 ms.
            (500, .agentAudio(eventId: 1, bytes: 1, durationMs: 1_000)),
            (500, .agentAudio(eventId: 1, bytes: 1, durationMs: 1_000)),
            (500, .userAudio(bytes: 1, durationMs: 100)),  // trailing silence of turn 1: not counted
            (900, .interruption(eventId: 1)),
            // The user talks from 800 to 1 200 ms: the reply was cut at 900 ms, so 100 ms over it.
            (900, .userAudio(bytes: 1, durationMs: 100)),
            (1_000, .userAudio(bytes: 1, durationMs: 100)),
            (1_100, .userAudio(bytes: 1, durationMs: 100)),
            (1_200, .userAudio(bytes: 1, durationMs: 100)),
            (1_300, .userTranscript(text: "stop", isFinal: true)),
            (1_600, .agentAudio(eventId: 2, bytes: 1, durationMs: 500)),
            // Trailing silence while the reply starts: the user's turn had ended.
            (1_700, .userAudio(bytes: 1, durationMs: 100)),
            (2_000, .userTranscript(text: "again", isFinal: true)),
            (2_300, .agentAudio(eventId: 3, bytes: 1, durationMs: 500)),
            (2_400, .ended(reason: "done")),
        ]) {
            tracker.observe(kind, at: ms * 1000) { turns.append($0) }
        }
        #expect(turns.map(\.talkOverMs) == [nil, 100, nil], "\(turns.map(\.talkOverMs))")
    }
}
