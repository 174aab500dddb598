import ConvEngine
import SimServer
import Testing
import TestSupport

/// A config file's board against the in-process server: scripts, autostart and both protocols.
@Suite struct ConfiguredBoardTests {
    @Test func scriptsPlayOnEveryBackend() async throws {
        try await withSimServer { port in
            let config = try ConsoleConfig.parse(
                """
                url = "ws://127.0.0.1:\(port)"

                [[session]]
                name = "el"
                backend = "elevenlabs"
                agent_id = "echo"
                script = [{ delay = 0, text = "one" }, { delay = 0.05, text = "/sim parts" }]

                [[session]]
                name = "rt"
                backend = "openai"
                url = "ws://127.0.0.1:\(port)/v1"
                model = "echo"
                api_key_env = "CONVTUI_SIM_KEY"
                dialect = "beta"
                script = [{ delay = 0, text = "two" }]

                [[session]]
                name = "idle"
                backend = "sim"
                autostart = false
                """, path: "inline.toml", environment: ["CONVTUI_SIM_KEY": "sk-sim"])
            let log = EventLog()
            let board = try SessionBoard(config: config, recording: { _ in nil }, observer: { _, _, event in log.record(event) })
            let players = board.scriptPlayers(config: config) { Issue.record("script error: \($0)") }.map { player in
                Task { await player.run() }
            }
            board.startAutostarted()
            #expect(board.session("idle")?.snapshot.state.phase == .idle)
            #expect(await eventually { log.agentTexts.contains { $0.contains("“one”") } })
            #expect(await eventually { log.agentTexts.contains { $0.contains("“two”") } })
            // `/sim parts`: streamed parts and a correction of the streamed turn.
            #expect(await eventually { log.contains { if case .agentCorrection = $0 { true } else { false } } })
            #expect(await eventually {
                board.session("el")?.snapshot.state.transcript.contains { $0.text.hasSuffix("(corrected)") } == true
            })
            for player in players { player.cancel() }
            await board.shutdown()
            #expect(board.sessions.allSatisfy { !$0.snapshot.state.phase.isActive })
        }
    }

    @Test func droppedConnectionFails() async throws {
        let options = SimServerOptions(port: 0, dropAfter: .milliseconds(200), pieceInterval: .milliseconds(10))
        try await withSimServer(options) { port in
            let (session, _) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port))
            session.start()
            #expect(await eventually { !session.phase.isActive })
            guard case .failed(let error) = session.phase else {
                Issue.record("expected failure, got \(session.phase)")
                return
            }
            #expect(error.contains("1011"))
        }
    }

    @Test func stalledServerSendsNothingButStaysOpen() async throws {
        // Long enough for the session to be live before the stall on a loaded machine (with 2 s
        // it once was not: the client's event loop was held by another test's 16 MiB frame).
        let stall = Duration.seconds(5)
        let options = SimServerOptions(port: 0, stallAfter: stall, pieceInterval: .milliseconds(10))
        try await withSimServer(options) { port in
            // Without a receive timeout the stall goes unnoticed (ReceiveTimeoutTests has it on).
            let (session, log) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port, receiveTimeout: nil))
            session.start()
            #expect(await eventually { session.phase.isLive })
            // The stall counts from the socket's opening on the server, before this test sees
            // the session live however late a busy machine lets it look.
            try await Task.sleep(until: ContinuousClock.now + stall + .milliseconds(500))
            try await session.sendText("anyone?")
            #expect(await !eventually(timeout: .milliseconds(300)) { !log.agentTexts.isEmpty })
            #expect(session.phase.isLive)
            session.stop()
        }
    }

    @Test func malformedFramesAreCountedNotFatal() async throws {
        let options = SimServerOptions(port: 0, malformedRate: 1, errorRate: 1, pieceInterval: .milliseconds(10))
        try await withSimServer(options) { port in
            let (session, log) = try makeSession(backend: "openai", factory: openAI(port: port))
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.sendText("hi")
            #expect(await eventually { log.agentTexts.count == 1 })
            #expect(log.contains { if case .malformed = $0 { true } else { false } })
            #expect(log.contains { if case .serverError("sim_fault", _) = $0 { true } else { false } })
            #expect(session.phase.isLive)
            session.stop()
        }
    }
}
