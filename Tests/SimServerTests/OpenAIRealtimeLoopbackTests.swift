import ConvEngine
import SimServer
import Testing
import TestSupport

/// The OpenAI Realtime transport against the in-process simulator server, over real sockets.
@Suite struct OpenAIRealtimeLoopbackTests {
    @Test(arguments: [RealtimeDialect.ga, .beta])
    func textTurn(dialect: RealtimeDialect) async throws {
        try await withSimServer { port in
            let (session, log) = try makeSession(backend: "openai", factory: openAI(port: port, dialect: dialect))
            session.start()
            #expect(await eventually { session.phase.isLive })
            #expect(log.conversationIds.first?.hasPrefix("sess_sim_") == true)
            try await session.sendText("hello realtime")
            #expect(await eventually { log.agentTexts.contains { $0.contains("“hello realtime”") } })
            #expect(await eventually { session.snapshot.state.counters.outputTokens == 40 })
            #expect(await eventually { session.snapshot.state.rateLimits?.contains("requests 999/1000") == true })
            #expect(session.snapshot.state.counters.audioMillisecondsIn > 0)
            #expect(session.snapshot.state.counters.unknownEvents == 0)
            session.stop()
        }
    }

    @Test func textOnlyModality() async throws {
        try await withSimServer { port in
            let (session, log) = try makeSession(backend: "openai", factory: openAI(port: port, modalities: ["text"]))
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.sendText("just text")
            #expect(await eventually { log.agentTexts.contains { $0.contains("just text") } })
            #expect(session.snapshot.state.counters.audioMillisecondsIn == 0)
            session.stop()
        }
    }

    /// Server VAD ends a turn on silent audio, as from a microphone: the session sends it after
    /// the file (the WAV itself has none).
    @Test(arguments: [RealtimeDialect.ga, .beta])
    func audioTurnWithServerVADEndsOnTrailingSilence(dialect: RealtimeDialect) async throws {
        try await withSimServer { port in
            let (session, log) = try makeSession(
                backend: "openai", idleAudio: .trailingSilence(milliseconds: 1500), factory: openAI(port: port, dialect: dialect))
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.streamAudio(try wavFixture(), chunkMilliseconds: 50, pacing: .immediate)
            #expect(await eventually { log.contains { $0 == .userSpeechStarted } })
            #expect(await eventually { log.contains { if case .userTranscript(_, true) = $0 { true } else { false } } })
            #expect(await eventually { log.agentTexts.count == 1 })
            session.stop()
        }
    }

    /// The witness: a file with no silence after it never ends the turn on a server that
    /// counts silent audio (the defect trailing silence fixes).
    @Test func audioWithoutTrailingSilenceIsNeverAnswered() async throws {
        try await withSimServer { port in
            let (session, log) = try makeSession(backend: "openai", factory: openAI(port: port))
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.streamAudio(try wavFixture(), chunkMilliseconds: 50, pacing: .immediate)
            #expect(await eventually { log.contains { $0 == .userSpeechStarted } })
            try await Task.sleep(for: .milliseconds(800))
            #expect(!log.contains { $0 == .userSpeechStopped })
            #expect(log.agentTexts.isEmpty)
            session.stop()
        }
    }

    /// Trailing silence paced in real time: the turn ends about `silence_duration_ms` of audio
    /// after the speech.
    @Test func trailingSilenceIsSentInRealTime() async throws {
        try await withSimServer { port in
            let (session, log) = try makeSession(
                backend: "openai", idleAudio: .trailingSilence(milliseconds: 700), factory: openAI(port: port))
            session.start()
            #expect(await eventually { session.phase.isLive })
            let started = ContinuousClock.now
            try await session.streamAudio(try wavFixture(), chunkMilliseconds: 100)
            #expect(started.duration(to: .now) >= .milliseconds(1100))
            #expect(await eventually { log.agentTexts.count == 1 })
            session.stop()
        }
    }

    /// An open microphone: silence streams while idle, so a turn ends with no trailing silence.
    @Test func openMicrophoneEndsTheTurn() async throws {
        try await withSimServer { port in
            let (session, log) = try makeSession(backend: "openai", idleAudio: .continuousSilence, factory: openAI(port: port))
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.streamAudio(try wavFixture(), chunkMilliseconds: 50, pacing: .immediate)
            #expect(await eventually { log.agentTexts.count == 1 })
            #expect(log.serverErrors.isEmpty)
            session.stop()
        }
    }

    /// Four lines typed 0.3 s apart while responses stream: every one answered, in order,
    /// with no `conversation_already_has_active_response`.
    @Test(arguments: [RealtimeDialect.ga, .beta])
    func typedBurstIsAnsweredInOrder(dialect: RealtimeDialect) async throws {
        let slow = SimServerOptions(port: 0, pieceInterval: .milliseconds(120))
        try await withSimServer(slow) { port in
            let (session, log) = try makeSession(backend: "openai", factory: openAI(port: port, dialect: dialect))
            session.start()
            #expect(await eventually { session.phase.isLive })
            let lines = ["line one", "line two", "line three", "line four"]
            for line in lines {
                try await session.sendText(line)
                try await Task.sleep(for: .milliseconds(300))
            }
            #expect(await eventually(timeout: .seconds(30)) { log.agentTexts.count == 4 })
            let answered = log.agentTexts.map { text in lines.firstIndex { text.contains("“\($0)”") } }
            #expect(answered == [0, 1, 2, 3])
            #expect(log.serverErrors.isEmpty)
            session.stop()
        }
    }

    @Test func audioTurnWithManualCommit() async throws {
        try await withSimServer { port in
            let (session, log) = try makeSession(backend: "openai", factory: openAI(port: port, serverVAD: false))
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.streamAudio(try wavFixture(), chunkMilliseconds: 100, pacing: .immediate)
            #expect(await eventually { log.contains { if case .userTranscript(_, true) = $0 { true } else { false } } })
            #expect(await eventually { log.agentTexts.count == 1 })
            #expect(!log.contains { $0 == .userSpeechStarted })
            session.stop()
        }
    }

    @Test func emptyCommitIsANonFatalErrorThenANormalTurn() async throws {
        try await withSimServer { port in
            let (session, log) = try makeSession(backend: "openai", factory: openAI(port: port, serverVAD: false))
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.streamAudio(AudioChunk(pcm: [], sampleRate: 24000), pacing: .immediate)
            #expect(await eventually { log.contains { if case .serverError("input_audio_buffer_commit_empty", _) = $0 { true } else { false } } })
            try await session.sendText("after the error")
            #expect(await eventually { log.agentTexts.contains { $0.contains("after the error") } })
            #expect(session.phase.isLive)
            session.stop()
        }
    }

    /// Barge-in with server VAD: with interrupt_response the server cancels and the client only
    /// truncates; without it the client cancels. Either way, no error event.
    @Test(arguments: [true, false])
    func bargeInRaisesNoError(interruptResponse: Bool) async throws {
        try await withSimServer { port in
            let (session, log) = try makeSession(backend: "openai", factory: openAI(port: port, interruptResponse: interruptResponse))
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.sendText("/sim interrupt")
            #expect(await eventually { session.snapshot.state.counters.interruptions == 1 })
            // The cancelled response ends without a final text; the socket stays usable.
            #expect(await eventually { session.snapshot.state.counters.outputTokens == 40 })
            #expect(log.agentTexts.isEmpty)
            try await session.sendText("next")
            #expect(await eventually { log.agentTexts.contains { $0.contains("next") } })
            #expect(log.serverErrors.isEmpty)
            session.stop()
        }
    }

    /// The strict server requires a key, as the real one does.
    @Test func aSessionWithoutAKeyIsRefused() async throws {
        try await withSimServer { port in
            let factory = OpenAIRealtimeTransport.factory(
                OpenAIRealtimeOptions(baseURL: "ws://127.0.0.1:\(port)/v1", model: "echo"), settings: .init())
            let (session, _) = try makeSession(backend: "openai", factory: factory)
            session.start()
            #expect(await eventually { !session.phase.isActive })
            guard case .failed(let error) = session.phase else {
                Issue.record("expected failure, got \(session.phase)")
                return
            }
            #expect(error.contains("upgrade refused"))
        }
    }

    @Test func functionCallIsAnsweredAndTheResponseGoesOn() async throws {
        try await withSimServer { port in
            let (session, log) = try makeSession(backend: "openai", factory: openAI(port: port))
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.sendText("/sim tool")
            #expect(await eventually { log.contains { if case .toolCall = $0 { true } else { false } } })
            #expect(await eventually { log.agentTexts.contains { $0.contains("the tool said no function") } })
            session.stop()
        }
    }

    @Test func sessionExpiry() async throws {
        try await withSimServer { port in
            let (session, log) = try makeSession(backend: "openai", factory: openAI(port: port))
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.sendText("/sim expire")
            #expect(await eventually { !session.phase.isActive })
            #expect(log.contains { if case .serverError("session_expired", _) = $0 { true } else { false } })
            guard case .failed(let error) = session.phase else {
                Issue.record("expected failure, got \(session.phase)")
                return
            }
            #expect(error.contains("1001"))
        }
    }

    @Test(arguments: [1000, 1008, 1011])
    func closeCodes(code: Int) async throws {
        try await withSimServer { port in
            let (session, _) = try makeSession(backend: "openai", factory: openAI(port: port))
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.sendText("/sim close \(code)")
            #expect(await eventually { !session.phase.isActive })
            switch session.phase {
            case .ended(let reason): #expect(code == 1000 && reason.contains("(1000)"))
            case .failed(let error): #expect(code != 1000 && error.contains("(\(code))"))
            default: Issue.record("unexpected phase \(session.phase)")
            }
        }
    }

    @Test func reconnectAfterExpiryIsANewSession() async throws {
        try await withSimServer { port in
            let factory = openAI(port: port, reconnect: ReconnectPolicy(maxAttempts: 1, initialDelay: .milliseconds(20)))
            let (session, log) = try makeSession(backend: "openai", factory: factory)
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.sendText("/sim expire")
            #expect(await eventually { log.conversationIds.count == 2 })
            #expect(Set(log.conversationIds).count == 2)
            #expect(session.phase.isLive)
            try await session.sendText("after reconnect")
            #expect(await eventually { log.agentTexts.contains { $0.contains("after reconnect") } })
            session.stop()
        }
    }
}
