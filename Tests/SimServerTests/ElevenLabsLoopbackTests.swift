import ConvEngine
import SimServer
import Testing
import TestSupport

/// The ElevenLabs transport against the in-process simulator server, over real sockets.
@Suite struct ElevenLabsLoopbackTests {
    @Test func textTurn() async throws {
        try await withSimServer { port in
            let (session, log) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port))
            session.start()
            #expect(await eventually { session.phase.isLive })
            #expect(log.conversationIds.first?.hasPrefix("conv_sim_") == true)
            try await session.sendText("hello there")
            #expect(await eventually { log.agentTexts.contains { $0.contains("“hello there”") } })
            #expect(await eventually { session.snapshot.state.counters.audioMillisecondsIn >= 250 })
            session.stop()
            #expect(await eventually { !session.phase.isActive })
        }
    }

    @Test func audioTurnFromWAV() async throws {
        try await withSimServer { port in
            let (session, log) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port))
            session.start()
            #expect(await eventually { session.phase.isLive })
            let audio = Resampler.convert(try wavFixture(), to: 16000)
            #expect(audio.durationMilliseconds == 500)
            // The server ends the turn on silent audio; the session does not add it yet.
            try await session.streamAudio(withTrailingSilence(audio, milliseconds: 600), chunkMilliseconds: 100, pacing: .immediate)
            #expect(session.sendGate.isHeld == false)
            #expect(await eventually { log.contains { if case .userTranscript(_, true) = $0 { true } else { false } } })
            #expect(log.contains { if case .vadScore = $0 { true } else { false } })
            #expect(await eventually { log.agentTexts.contains { $0.contains("I heard your audio") } })
            #expect(session.snapshot.state.counters.audioMillisecondsOut == 1100)
            session.stop()
        }
    }

    @Test func pingsAreAnsweredAndShowLatency() async throws {
        let options = SimServerOptions(port: 0, pingInterval: .milliseconds(60), pieceInterval: .milliseconds(10))
        try await withSimServer(options) { port in
            let (session, log) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port))
            session.start()
            // The first ping has no latency yet; later ones carry the round trip of our pong.
            #expect(await eventually { log.contains { if case .ping(_, .some) = $0 { true } else { false } } })
            #expect(session.snapshot.state.lastPingMilliseconds != nil)
            session.stop()
        }
    }

    @Test func interruptionDropsStaleAudio() async throws {
        try await withSimServer { port in
            let (session, log) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port))
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.sendText("/sim interrupt")
            #expect(await eventually { session.snapshot.state.counters.staleAudioDropped == 1 })
            #expect(session.snapshot.state.counters.interruptions == 1)
            // The next turn's audio is newer than the watermark and is kept.
            #expect(await eventually { session.snapshot.state.counters.audioMillisecondsIn >= 500 })
            #expect(log.count { if case .interruption = $0 { true } else { false } } == 1)
            session.stop()
        }
    }

    @Test func clientToolCallGetsAnErrorResult() async throws {
        try await withSimServer { port in
            let (session, log) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port, agent: "ava"))
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.sendText("/sim tool")
            #expect(await eventually { log.contains { if case .toolCall(_, "search_flights", _) = $0 { true } else { false } } })
            // The error result is sent (and logged) after the call is folded, not with it.
            #expect(await eventually { log.contains { if case .toolResult(_, _, true) = $0 { true } else { false } } })
            #expect(await eventually { log.agentTexts.contains { $0.hasPrefix("The tool answered: no client tool") } })
            session.stop()
        }
    }

    @Test func nonFatalErrorThenNormalTurn() async throws {
        try await withSimServer { port in
            let (session, log) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port))
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.sendText("/sim error")
            #expect(await eventually { log.contains { if case .serverError("unknown", _) = $0 { true } else { false } } })
            try await session.sendText("still there?")
            #expect(await eventually { log.agentTexts.contains { $0.contains("still there?") } })
            #expect(session.phase.isLive)
            session.stop()
        }
    }

    @Test(arguments: [1000, 1002, 1008, 1011])
    func closeCodes(code: Int) async throws {
        try await withSimServer { port in
            let (session, _) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port))
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.sendText("/sim close \(code)")
            #expect(await eventually { !session.phase.isActive })
            switch session.phase {
            case .ended(let reason):
                #expect(code == 1000)
                #expect(reason.contains("max_duration_exceeded"))
            case .failed(let error):
                #expect(code != 1000)
                #expect(error.contains("(\(code))"))
            default:
                Issue.record("unexpected phase \(session.phase)")
            }
        }
    }

    @Test func reconnectStartsANewConversationInTheSameRun() async throws {
        try await withSimServer { port in
            let policy = ReconnectPolicy(maxAttempts: 2, initialDelay: .milliseconds(20), maxDelay: .milliseconds(40))
            let (session, log) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port, reconnect: policy))
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.sendText("/sim close 1011")
            #expect(await eventually { log.conversationIds.count == 2 })
            let ids = log.conversationIds
            #expect(ids[0] != ids[1])
            #expect(session.snapshot.state.run == 1)
            #expect(session.snapshot.state.conversationId == ids[1])
            #expect(session.phase.isLive)
            // A code that is not recoverable ends the run for good.
            try await session.sendText("/sim close 1008")
            #expect(await eventually { if case .failed = session.phase { true } else { false } })
        }
    }

    @Test func signedURLFlow() async throws {
        try await withSimServer { port in
            let (session, log) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port, apiKey: "xi-test-key"))
            session.start()
            #expect(await eventually { session.phase.isLive })
            #expect(log.conversationIds.count == 1)
            session.stop()
        }
    }

    @Test func keyOverPlainWebSocketToARemoteHostIsRefused() async throws {
        let factory = ElevenLabsTransport.factory(
            ElevenLabsOptions(baseURL: "ws://example.com", agentId: "a", apiKey: "xi-secret"), settings: .init())
        let (session, _) = try makeSession(backend: "elevenlabs", factory: factory)
        session.start()
        #expect(await eventually { !session.phase.isActive })
        guard case .failed(let error) = session.phase else {
            Issue.record("expected a failure, got \(session.phase)")
            return
        }
        #expect(error.contains("refusing"))
        #expect(!error.contains("xi-secret"))
    }

    @Test func stoppingOneSessionLeavesTheOtherAlone() async throws {
        try await withSimServer { port in
            let (a, logA) = try makeSession(number: 1, name: "a", backend: "elevenlabs", factory: elevenLabs(port: port))
            let (b, logB) = try makeSession(number: 2, name: "b", backend: "elevenlabs", factory: elevenLabs(port: port))
            a.start()
            b.start()
            #expect(await eventually { a.phase.isLive && b.phase.isLive })
            let firstA = try #require(logA.conversationIds.first)
            try await b.sendText("keep going")
            a.stop()
            #expect(await eventually { logB.agentTexts.contains { $0.contains("keep going") } })
            #expect(await eventually { b.snapshot.state.counters.audioMillisecondsIn >= 750 })
            #expect(b.phase.isLive)
            #expect(await eventually { !a.phase.isActive })
            a.start()
            #expect(await eventually { logA.conversationIds.count == 2 })
            #expect(logA.conversationIds[1] != firstA)
            try await a.sendText("/sim interrupt")
            #expect(await eventually { a.snapshot.state.lastInterruptId != nil })
            #expect(b.snapshot.state.lastInterruptId == nil)
            #expect(b.snapshot.state.counters.staleAudioDropped == 0)
            a.stop()
            b.stop()
        }
    }
}
