import ConvEngine
import HummingbirdWebSocket

/// One simulated ElevenLabs agent conversation over a real socket, playing a persona.
///
/// The reading loop takes client frames; a ticker sends pings, ends user audio turns after a
/// pause (the server's VAD) and, in load mode, streams responses. Agent turns run as child
/// tasks; a newer turn or an interruption supersedes an older one through `generation`.
final class ElevenLabsSimConversation: Sendable {
    private let link: SimLink
    private let persona: Persona
    private let options: SimServerOptions
    private let conversationId: String
    private let state = Locked(State())

    private struct State {
        var textOnly = false
        var eventId = 0
        var generation = 0
        var userLine = 0
        var agentLine = 0
        var pingId = 0
        var pingSentAt: [Int: ContinuousClock.Instant] = [:]
        var lastLatencyMs: Int?
        var nextPing: ContinuousClock.Instant = .now
        var audioBytes = 0
        var lastAudioAt: ContinuousClock.Instant?
        var pendingTool: String?
        /// The event id of the turn still sending audio, if any.
        var speakingTurn: Int?
    }

    init(link: SimLink, persona: Persona, options: SimServerOptions, conversationId: String) {
        self.link = link
        self.persona = persona
        self.options = options
        self.conversationId = conversationId
    }

    func run(inbound: WebSocketInboundStream) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var messages = inbound.messages(maxSize: options.maxMessageBytes).makeAsyncIterator()
            // The first frame may carry initiation data; the metadata answers it.
            let first = try await messages.next()
            let initiation = first.flatMap(Self.json)
            if let initiation, initiation["type"]?.stringValue == "conversation_initiation_client_data" {
                let override = initiation["conversation_config_override"]
                let textOnly = override?["conversation"]?["text_only"]?.boolValue ?? override?["text_only"]?.boolValue ?? false
                state.withLock { $0.textOnly = textOnly }
            }
            try await link.send(.object([
                ("type", "conversation_initiation_metadata"),
                ("conversation_initiation_metadata_event", .object([
                    ("conversation_id", .string(conversationId)), ("agent_output_audio_format", "pcm_16000"),
                    ("user_input_audio_format", "pcm_16000"),
                ])),
            ]))
            state.withLock { $0.nextPing = .now + options.pingInterval }
            group.addTask { try await self.tick() }
            if let first, initiation?["type"]?.stringValue != "conversation_initiation_client_data" {
                try await receive(first, group: &group)
            }
            while let message = try await messages.next() {
                try await receive(message, group: &group)
            }
            group.cancelAll()
        }
    }

    private static func json(_ message: WebSocketMessage) -> JSONValue? {
        guard case .text(let text) = message else { return nil }
        return try? JSONParser.parse(text)
    }

    private func receive(_ message: WebSocketMessage, group: inout ThrowingTaskGroup<Void, any Error>) async throws {
        try link.checkDrop()
        guard let frame = Self.json(message) else {
            try await link.send(error(code: "1008", message: "frame is not JSON"))
            return
        }
        if let chunk = frame["user_audio_chunk"]?.stringValue {
            let bytes = Base64.decodedLength(chunk)
            let interrupting = state.withLock { s -> Bool in
                let startsTurn = s.audioBytes == 0
                s.audioBytes += bytes
                s.lastAudioAt = .now
                return startsTurn
            }
            if interrupting { try await interruptCurrentTurn() }
            return
        }
        switch frame["type"]?.stringValue ?? "" {
        case "pong":
            if let id = frame["event_id"]?.intValue {
                state.withLock { s in
                    if let sent = s.pingSentAt.removeValue(forKey: id) {
                        let elapsed = sent.duration(to: .now).components
                        s.lastLatencyMs = Int(elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000)
                    }
                }
            }
        case "user_message":
            let text = frame["text"]?.stringValue ?? ""
            if let command = SimCommand(text) {
                try await perform(command, group: &group)
            } else {
                try await interruptCurrentTurn()
                startTurn(answering: text, group: &group)
            }
        case "client_tool_result":
            let result = frame["result"]?.stringValue ?? ""
            let waiting = state.withLock { s -> Bool in
                defer { s.pendingTool = nil }
                return s.pendingTool != nil && s.pendingTool == frame["tool_call_id"]?.stringValue
            }
            if waiting { startTurn(reply: "The tool answered: \(result)", group: &group) }
        case "contextual_update", "user_activity", "feedback", "conversation_initiation_client_data":
            break
        default:
            try await link.send(error(code: "unknown_message", message: "unknown client message"))
        }
    }

    private func perform(_ command: SimCommand, group: inout ThrowingTaskGroup<Void, any Error>) async throws {
        switch command {
        case .interrupt:
            // audio n, interruption n, audio n again (stale), then a fresh turn n+1 that is kept.
            let id = nextEventId()
            try await send(audio: id)
            try await link.send(.object([("type", "interruption"), ("interruption_event", .object([("event_id", .int(id))]))]))
            try await send(audio: id)
            startTurn(answering: nil, group: &group)
        case .tool:
            let callId = "call_\(nextEventId())"
            state.withLock { $0.pendingTool = callId }
            let name = persona.tool?.name ?? "lookup"
            let arguments = (try? JSONParser.parse(persona.tool?.arguments ?? "{}")) ?? .object([])
            try await link.send(.object([
                ("type", "client_tool_call"),
                ("client_tool_call", .object([
                    ("tool_name", .string(name)), ("tool_call_id", .string(callId)), ("parameters", arguments),
                    ("event_id", .int(nextEventId())),
                ])),
            ]))
        case .error:
            try await link.send(error(code: "sim_error", message: "simulated non-fatal error"))
            startTurn(answering: nil, group: &group)
        case .close(let code):
            try await link.close(code: code, reason: code == 1000 ? "max_duration_exceeded" : "closed by /sim close")
        case .expire:
            try await link.close(code: 1000, reason: "max_duration_exceeded")
        case .parts:
            let id = nextEventId()
            let reply = nextAgentLine()
            let pieces = link.withRandom { persona.pieces(of: reply, using: &$0) }
            try await link.send(part("", stage: "start", id: id))
            for piece in pieces { try await link.send(part(piece, stage: "delta", id: id)) }
            try await link.send(part("", stage: "stop", id: id))
            try await link.send(.object([
                ("type", "agent_response_correction"),
                ("agent_response_correction_event", .object([
                    ("original_agent_response", .string(reply)), ("corrected_agent_response", .string(reply + " (corrected)")),
                    ("event_id", .int(id)),
                ])),
            ]))
        }
    }

    private func part(_ text: String, stage: String, id: Int) -> JSONValue {
        .object([
            ("type", "agent_chat_response_part"),
            ("text_response_part", .object([("text", .string(text)), ("type", .string(stage)), ("event_id", .int(id))])),
        ])
    }

    private func error(code: String, message: String) -> JSONValue {
        .object([
            ("type", "error"),
            ("error_event", .object([("code", .string(code)), ("message", .string(message)), ("error_type", "sim")])),
        ])
    }

    private func nextEventId() -> Int {
        state.withLock { s in
            s.eventId += 1
            return s.eventId
        }
    }

    private func nextAgentLine() -> String {
        state.withLock { s in
            defer { s.agentLine += 1 }
            return persona.agentLines[s.agentLine % persona.agentLines.count]
        }
    }

    private func send(audio id: Int) async throws {
        try await link.send(.object([
            ("type", "audio"), ("audio_event", .object([("audio_base_64", .string(SimAudio.elevenLabsChunk)), ("event_id", .int(id))])),
        ]))
    }

    /// Interrupts a turn still sending audio, as the real server does when the user speaks.
    private func interruptCurrentTurn() async throws {
        let speaking = state.withLock { s -> Int? in
            defer { s.speakingTurn = nil }
            s.generation += 1
            return s.speakingTurn
        }
        if let speaking {
            try await link.send(.object([("type", "interruption"), ("interruption_event", .object([("event_id", .int(speaking))]))]))
        }
    }

    private func startTurn(answering text: String?, group: inout ThrowingTaskGroup<Void, any Error>) {
        var reply = nextAgentLine()
        if let text, !text.isEmpty {
            let ack = link.withRandom { $0.pick(persona.acknowledgements) }
            reply = "\(ack) “\(text)” \(reply)"
        }
        startTurn(reply: reply, group: &group)
    }

    private func startTurn(reply: String, group: inout ThrowingTaskGroup<Void, any Error>) {
        group.addTask { try await self.playTurn(reply: reply) }
    }

    /// One agent turn: its faults, the response text, then audio until done or superseded.
    private func playTurn(reply: String) async throws {
        let (generation, id, textOnly) = state.withLock { s in
            s.generation += 1
            s.eventId += 1
            s.speakingTurn = s.textOnly ? nil : s.eventId
            return (s.generation, s.eventId, s.textOnly)
        }
        try await link.turnFaults(error: error(code: "sim_fault", message: "simulated server error"))
        try await link.send(.object([
            ("type", "agent_response"), ("agent_response_event", .object([("agent_response", .string(reply)), ("event_id", .int(id))])),
        ]))
        guard !textOnly else { return }
        for _ in 0..<3 {
            try await Task.sleep(for: options.pieceInterval)
            guard state.withLock({ $0.generation == generation }) else { return }
            try await send(audio: id)
        }
        state.withLock { s in
            if s.generation == generation { s.speakingTurn = nil }
        }
    }

    /// Pings, the server VAD's end of a user audio turn, and the load mode's responses.
    private func tick() async throws {
        let tick: Duration = .milliseconds(options.load ? 100 : 50)
        while true {
            try await Task.sleep(for: tick)
            if try await link.dropIfDue() { return }
            let now = ContinuousClock.now
            let (ping, userTurnEnded) = state.withLock { s -> ((Int, Int?)?, Bool) in
                var ping: (Int, Int?)?
                if now >= s.nextPing {
                    s.pingId += 1
                    s.pingSentAt[s.pingId] = now
                    s.nextPing = now + options.pingInterval
                    ping = (s.pingId, s.lastLatencyMs)
                }
                var ended = false
                if s.audioBytes > 0, let last = s.lastAudioAt, last.duration(to: now) >= options.silenceTimeout {
                    s.audioBytes = 0
                    s.lastAudioAt = nil
                    ended = true
                }
                return (ping, ended)
            }
            if let (id, latency) = ping {
                try await link.send(.object([
                    ("type", "ping"), ("ping_event", .object([("event_id", .int(id)), ("ping_ms", latency.map(JSONValue.int) ?? .null)])),
                ]))
            }
            if userTurnEnded { try await endUserAudioTurn() }
            if options.load {
                let id = nextEventId()
                try await link.send(.object([
                    ("type", "agent_response"),
                    ("agent_response_event", .object([("agent_response", .string(persona.agentLines[id % persona.agentLines.count])), ("event_id", .int(id))])),
                ]))
            }
        }
    }

    /// What the server says after the user's audio stops: VAD, the transcript, then an answer.
    private func endUserAudioTurn() async throws {
        let (line, id) = state.withLock { s -> (String, Int) in
            defer { s.userLine += 1 }
            s.eventId += 1
            return (persona.userLines[s.userLine % persona.userLines.count], s.eventId)
        }
        try await link.send(.object([("type", "vad_score"), ("vad_score_event", .object([("vad_score", 0.92)]))]))
        try await link.send(.object([
            ("type", "tentative_user_transcript"),
            ("tentative_user_transcription_event", .object([("user_transcript", .string(String(line.prefix(12)))), ("event_id", .int(id))])),
        ]))
        try await link.send(.object([
            ("type", "user_transcript"),
            ("user_transcription_event", .object([("user_transcript", .string(line)), ("event_id", .int(id))])),
        ]))
        try await playTurn(reply: "\(persona.acknowledgements.first ?? "") I heard your audio. \(nextAgentLine())")
    }
}
