import ConvEngine
import Foundation
import SimServer
import Testing
import TestSupport

/// The ElevenLabs rules the simulator enforces as the real service does (docs/sim-server.md),
/// and convtui's side of each: overrides, dynamic variables, signed URLs, client events,
/// turns ended by silent audio, μ-law input, MCP approvals, hand-answered tool calls.
@Suite struct ElevenLabsStrictRulesTests {
    private static func server(_ agents: [String: ElevenLabsSimAgent], configure: (inout SimServerOptions) -> Void = { _ in }) -> SimServerOptions {
        var options = SimServerOptions(port: 0, pieceInterval: .milliseconds(10))
        options.elevenLabsAgents = agents
        configure(&options)
        return options
    }

    private static func failure(_ session: ConversationSession) async -> String? {
        _ = await eventually { !session.phase.isActive }
        if case .failed(let error) = session.phase { return error }
        return nil
    }

    @Test func anOverrideTheAgentDoesNotAllowIsRefusedWithItsReason() async throws {
        try await withSimServer(Self.server([:])) { port in
            let (session, _) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port) { $0.firstMessage = "Hi there" })
            session.start()
            let error = try #require(await Self.failure(session))
            #expect(error.contains("(1008)"))
            #expect(error.contains("override_error: Override for field 'first_message' is not allowed by config."))
            #expect(session.snapshot.state.lastError?.contains("override_error") == true)
            #expect(session.snapshot.json["reason"]?.stringValue?.contains("override_error: Override for field 'first_message'") == true)
        }
    }

    @Test func anAllowedOverrideIsTaken() async throws {
        var agent = ElevenLabsSimAgent()
        agent.allowedOverrides = ["agent.first_message"]
        try await withSimServer(Self.server(["greeter": agent])) { port in
            let (session, log) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port, agent: "greeter") { $0.firstMessage = "Hi there" })
            session.start()
            #expect(await eventually { log.agentTexts.contains("Hi there") })
            #expect(session.phase.isLive)
            session.stop()
        }
    }

    @Test func aFirstMessageNeedsItsDynamicVariables() async throws {
        var agent = ElevenLabsSimAgent()
        agent.firstMessage = "Hello {{user_name}}, welcome back."
        try await withSimServer(Self.server(["greeter": agent])) { port in
            let (missing, _) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port, agent: "greeter") { _ in })
            missing.start()
            let error = try #require(await Self.failure(missing))
            #expect(error.contains("(1008)"))
            #expect(error.contains("missing_dynamic_variable"))
            #expect(error.contains("'user_name'"))

            let (given, log) = try makeSession(
                backend: "elevenlabs", factory: elevenLabs(port: port, agent: "greeter") { $0.dynamicVariables = ["user_name": "Ana"] })
            given.start()
            #expect(await eventually { log.agentTexts.contains("Hello Ana, welcome back.") })
            given.stop()
        }
    }

    @Test func aPrivateAgentNeedsASignedURL() async throws {
        var agent = ElevenLabsSimAgent()
        agent.requiresAuth = true
        let options = Self.server(["private": agent]) { $0.elevenLabsAPIKey = "xi-right" }
        try await withSimServer(options) { port in
            let (anonymous, _) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port, agent: "private") { _ in })
            anonymous.start()
            let refused = try #require(await Self.failure(anonymous))
            #expect(refused.contains("(1008)"))
            #expect(refused.contains("signed URL"))

            let (wrongKey, _) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port, agent: "private", apiKey: "xi-wrong"))
            wrongKey.start()
            let unauthorized = try #require(await Self.failure(wrongKey))
            #expect(unauthorized.contains("HTTP 401"))

            let (signed, log) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port, agent: "private", apiKey: "xi-right"))
            signed.start()
            #expect(await eventually { signed.phase.isLive })
            try await signed.sendText("hello")
            #expect(await eventually { !log.agentTexts.isEmpty })
            signed.stop()
        }
    }

    /// Regression: a close frame that came with the `101` and the server's FIN was dropped by
    /// NIO's HTTP decoder when it saw the end of input before leaving the pipeline, and the run
    /// failed as "connection lost (no close frame)" for most of ten connections opened at once
    /// (``WebSocketEndOfInputGuard``).
    @Test func aCloseRightAfterTheUpgradeAlwaysReachesTheClient() async throws {
        var agent = ElevenLabsSimAgent()
        agent.requiresAuth = true
        try await withSimServer(Self.server(["private": agent])) { port in
            // Many at once: the loss needs the 101 and the close to land in one read, which a
            // busy loop makes likely.
            for round in 1...6 {
                let sessions = try (1...10).map { _ in
                    try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port, agent: "private") { _ in }).0
                }
                for session in sessions { session.start() }
                for session in sessions {
                    let error = await Self.failure(session)
                    #expect(error?.contains("(1008)") == true, "round \(round): \(error ?? "no failure")")
                }
            }
        }
    }

    /// A client message of a type the contract does not list ends the conversation with 1008
    /// `invalid_message`, and the close frame right after the upgrade reaches the client.
    @Test func anUnknownClientTypeClosesWith1008() async throws {
        try await withSimServer(Self.server([:])) { port in
            let transport = WebSocketTransport(
                context: TransportContext(sessionNumber: 1, sessionName: "raw", run: 1, sink: EventSink { _ in }),
                settings: .init(), endpoint: { WebSocketEndpoint(url: "ws://127.0.0.1:\(port)/v1/convai/conversation?agent_id=echo") },
                makeConversation: { OpeningOnly(frames: [#"{"type":"conversation_initiation_client_data"}"#, #"{"type":"user_mesage","text":"typo"}"#]) })
            await #expect {
                _ = try await transport.run()
            } throws: { error in
                let text = String(describing: error)
                return text.contains("(1008)") && text.contains("invalid_message") && text.contains("user_mesage")
            }
        }
    }

    @Test func onlyTheAgentsClientEventsAreSent() async throws {
        var agent = ElevenLabsSimAgent()
        agent.clientEvents = ElevenLabsSimAgent.contractDefaultClientEvents
        try await withSimServer(Self.server(["plain": agent])) { port in
            let (session, log) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port, agent: "plain") { _ in })
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.streamAudio(withTrailingSilence(tone(), milliseconds: 600), pacing: .immediate)
            #expect(await eventually { log.agentTexts.contains { $0.contains("I heard your audio") } })
            #expect(!log.contains { if case .vadScore = $0 { true } else { false } })
            try await session.sendText("/sim tool")
            try await session.sendText("still there?")
            #expect(await eventually { log.agentTexts.contains { $0.contains("still there?") } })
            #expect(!log.contains { if case .toolCall = $0 { true } else { false } })
            session.stop()
        }
    }

    /// The server's VAD counts silent *audio*: a turn with no silence after it is never
    /// answered, however long the client waits; the silence that follows ends it.
    @Test func aTurnEndsOnSilentAudioNotOnAPause() async throws {
        try await withSimServer(Self.server([:])) { port in
            let (session, log) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port) { _ in })
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.streamAudio(tone(), pacing: .immediate)
            #expect(await !eventually(timeout: .milliseconds(1500)) { log.contains { if case .userTranscript = $0 { true } else { false } } })
            try await session.streamAudio(AudioChunk(pcm: [UInt8](repeating: 0, count: 16000 * 2 * 6 / 10), sampleRate: 16000), pacing: .immediate)
            #expect(await eventually { log.agentTexts.contains { $0.contains("I heard your audio") } })
            session.stop()
        }
    }

    /// An agent that takes `ulaw_8000` hears μ-law: sent as PCM, the silence after the tone
    /// would decode as loud noise and the turn would never end.
    @Test func muLawInputIsHeard() async throws {
        var agent = ElevenLabsSimAgent()
        agent.userInputAudioFormat = "ulaw_8000"
        agent.agentOutputAudioFormat = "ulaw_8000"
        try await withSimServer(Self.server(["phone": agent])) { port in
            let (session, log) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port, agent: "phone") { _ in })
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.streamAudio(withTrailingSilence(tone(), milliseconds: 600), pacing: .immediate)
            #expect(await eventually { log.agentTexts.contains { $0.contains("I heard your audio") } })
            // Agent μ-law audio is counted at one byte per sample: 250 ms chunks.
            #expect(await eventually { session.snapshot.state.counters.audioMillisecondsIn >= 250 })
            #expect(session.snapshot.state.counters.audioMillisecondsIn % 250 == 0)
            session.stop()
        }
    }

    @Test func noUserInputEndsTheConversationWith1002() async throws {
        try await withSimServer(Self.server([:]) { $0.noInputTimeout = .milliseconds(400) }) { port in
            let (session, _) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port) { _ in })
            session.start()
            let error = try #require(await Self.failure(session))
            #expect(error.contains("(1002)"))
            #expect(error.contains("transport_receive_timeout"))
        }
    }

    @Test func anMCPApprovalIsAnsweredThroughTheEngine() async throws {
        try await withSimServer(Self.server([:])) { port in
            let (session, log) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port, agent: "ava") { _ in })
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.sendText("/sim mcp")
            #expect(await eventually { session.snapshot.state.pendingApprovals.count == 1 })
            #expect(session.snapshot.json["pending_approvals"]?.arrayValue?.first?["name"] == "search_flights")
            let pending = try #require(session.snapshot.state.pendingApprovals.first)
            #expect(pending.name == "search_flights")
            try await session.answerApproval(callId: pending.callId, approved: true)
            #expect(session.snapshot.state.pendingApprovals.isEmpty)
            #expect(await eventually { log.agentTexts.contains("The MCP tool ran.") })
            #expect(log.contains { if case .mcpToolCall(_, _, "success", _) = $0 { true } else { false } })

            try await session.sendText("/sim mcp")
            #expect(await eventually { session.snapshot.state.pendingApprovals.count == 1 })
            try await session.answerApproval(callId: try #require(session.snapshot.state.pendingApprovals.first).callId, approved: false)
            #expect(await eventually { log.agentTexts.contains("The MCP tool was not approved.") })
            session.stop()
        }
    }

    @Test func anAutoApprovedMCPToolNeverWaits() async throws {
        try await withSimServer(Self.server([:])) { port in
            let (session, log) = try makeSession(
                backend: "elevenlabs", factory: elevenLabs(port: port, agent: "ava") { $0.autoApprove = ["search_flights"] })
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.sendText("/sim mcp")
            #expect(await eventually { log.agentTexts.contains("The MCP tool ran.") })
            #expect(session.snapshot.state.pendingApprovals.isEmpty)
            session.stop()
        }
    }

    @Test func aManualToolCallIsAnsweredByHand() async throws {
        try await withSimServer(Self.server([:])) { port in
            let (session, log) = try makeSession(
                backend: "elevenlabs", factory: elevenLabs(port: port, agent: "ava") { $0.manualTools = ["search_flights"] })
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.sendText("/sim tool")
            #expect(await eventually { session.snapshot.state.pendingToolCalls.count == 1 })
            let call = try #require(session.snapshot.state.pendingToolCalls.first)
            try await session.sendToolResult(callId: call.callId, result: "two flights", isError: false)
            #expect(session.snapshot.state.pendingToolCalls.isEmpty)
            #expect(await eventually { log.agentTexts.contains("The tool answered: two flights") })
            session.stop()
        }
    }

    /// Feedback, user activity and contextual updates are valid client messages: the strict
    /// server would close with 1008 on a malformed one.
    @Test func supervisorMessagesKeepTheConversationGoing() async throws {
        try await withSimServer(Self.server([:])) { port in
            let (session, log) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port) { _ in })
            session.start()
            #expect(await eventually { session.phase.isLive })
            try await session.sendText("first")
            #expect(await eventually { !log.agentTexts.isEmpty })
            try await session.sendFeedback(like: true)
            try await session.sendUserActivity()
            try await session.sendContextualUpdate("the caller is in Oslo")
            try await session.sendText("second")
            #expect(await eventually { log.agentTexts.contains { $0.contains("second") } })
            #expect(session.phase.isLive)
            #expect(session.endConversation())
            #expect(session.phase == .ended(reason: "conversation ended by operator"))
        }
    }
}

/// Half a second of a loud 440 Hz tone at 16 kHz.
private func tone() -> AudioChunk {
    AudioChunk(samples: (0..<8000).map { Int16(8000 * sin(Double($0) * 2 * .pi * 440 / 16000)) }, sampleRate: 16000)
}

/// A protocol that sends its frames on opening and takes nothing in: for messages no session sends.
private struct OpeningOnly: WireConversation {
    static var serverKeepsAlive: Bool { true }
    let frames: [String]
    mutating func opening() -> [String] { frames }
    mutating func receive(_ text: String) -> WireStep { WireStep() }
    mutating func encode(_ message: OutgoingMessage) -> [String] { [] }
}
