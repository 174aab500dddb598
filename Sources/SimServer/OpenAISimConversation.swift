import ConvEngine
import HummingbirdWebSocket

/// One simulated OpenAI Realtime session over a real socket, in the GA or the beta dialect.
///
/// Text turns answer `response.create`; audio turns end on the server VAD's silence timeout
/// (or the client's `commit`); `response.cancel` ends the current response as `cancelled`.
final class OpenAISimConversation: Sendable {
    private let link: SimLink
    private let persona: Persona
    private let options: SimServerOptions
    private let dialect: RealtimeDialect
    private let sessionId: String
    private let state = Locked(State())

    private struct State {
        var serverVAD = true
        var audioOut = true
        var itemCounter = 0
        var responseCounter = 0
        var generation = 0
        /// The response in progress, if any.
        var activeResponse: String?
        var pendingText: String?
        var pendingCommand: SimCommand?
        var audioBytes = 0
        var speaking = false
        var lastAudioAt: ContinuousClock.Instant?
        var userLine = 0
        var agentLine = 0
    }

    init(link: SimLink, persona: Persona, options: SimServerOptions, dialect: RealtimeDialect, sessionId: String) {
        self.link = link
        self.persona = persona
        self.options = options
        self.dialect = dialect
        self.sessionId = sessionId
    }

    private func name(_ ga: String, beta: String) -> String { dialect == .ga ? ga : beta }

    func run(inbound: WebSocketInboundStream) async throws {
        let session: JSONValue = dialect == .ga
            ? .object([("id", .string(sessionId)), ("type", "realtime"), ("output_modalities", .array([.string("audio")]))])
            : .object([("id", .string(sessionId)), ("object", "realtime.session"), ("modalities", .array([.string("text"), .string("audio")]))])
        try await link.send(.object([("type", "session.created"), ("session", session)]))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.tick() }
            for try await message in inbound.messages(maxSize: 1 << 25) {
                guard case .text(let text) = message, let frame = try? JSONParser.parse(text) else {
                    try await link.send(error(type: "invalid_request_error", code: "invalid_json", message: "frame is not JSON"))
                    continue
                }
                try await receive(frame, group: &group)
            }
            group.cancelAll()
        }
    }

    private func receive(_ frame: JSONValue, group: inout ThrowingTaskGroup<Void, any Error>) async throws {
        try link.checkDrop()
        switch frame["type"]?.stringValue ?? "" {
        case "session.update":
            let session = frame["session"] ?? .object([])
            let detection = dialect == .ga ? session["audio"]?["input"]?["turn_detection"] : session["turn_detection"]
            let modalities = (dialect == .ga ? session["output_modalities"] : session["modalities"])?.arrayValue?.compactMap(\.stringValue)
            state.withLock { s in
                if let detection { s.serverVAD = !detection.isNull }
                if let modalities { s.audioOut = modalities.contains("audio") }
            }
            try await link.send(.object([("type", "session.updated"), ("session", session)]))
        case "conversation.item.create":
            let item = frame["item"] ?? .object([])
            let id = nextItemId()
            let text = item["content"]?.arrayValue?.first?["text"]?.stringValue
            if item["role"]?.stringValue == "user", let text {
                state.withLock { s in
                    if let command = SimCommand(text) { s.pendingCommand = command } else { s.pendingText = text }
                }
            } else if item["type"]?.stringValue == "function_call_output" {
                let output = item["output"]?.stringValue ?? ""
                state.withLock { $0.pendingText = "the tool said \(output)" }
            }
            try await link.send(.object([("type", .string(name("conversation.item.added", beta: "conversation.item.created"))), ("item", .object([("id", .string(id))]))]))
        case "response.create":
            let command = state.withLock { s -> SimCommand? in
                defer { s.pendingCommand = nil }
                return s.pendingCommand
            }
            if let command {
                try await perform(command, group: &group)
            } else {
                group.addTask { try await self.respond() }
            }
        case "input_audio_buffer.append":
            let bytes = Base64.decodedLength(frame["audio"]?.stringValue ?? "")
            let started = state.withLock { s -> Bool in
                s.audioBytes += bytes
                s.lastAudioAt = .now
                guard s.serverVAD, !s.speaking else { return false }
                s.speaking = true
                return true
            }
            if started {
                try await link.send(.object([("type", "input_audio_buffer.speech_started"), ("audio_start_ms", 0), ("item_id", .string(nextItemId()))]))
            }
        case "input_audio_buffer.commit":
            let bytes = state.withLock { s -> Int in
                defer { s.audioBytes = 0; s.speaking = false; s.lastAudioAt = nil }
                return s.audioBytes
            }
            if bytes == 0 {
                try await link.send(error(type: "invalid_request_error", code: "input_audio_buffer_commit_empty", message: "buffer too small: 0.00ms of audio"))
            } else {
                try await transcribeUserTurn()
            }
        case "input_audio_buffer.clear":
            state.withLock { $0.audioBytes = 0 }
            try await link.send(.object([("type", "input_audio_buffer.cleared")]))
        case "response.cancel":
            try await cancelResponse()
        case "conversation.item.truncate":
            try await link.send(.object([
                ("type", "conversation.item.truncated"), ("item_id", frame["item_id"] ?? .null), ("content_index", 0),
                ("audio_end_ms", frame["audio_end_ms"] ?? 0),
            ]))
        case "conversation.item.delete":
            try await link.send(.object([("type", "conversation.item.deleted"), ("item_id", frame["item_id"] ?? .null)]))
        default:
            try await link.send(error(type: "invalid_request_error", code: "unknown_event", message: "unknown client event type"))
        }
    }

    private func perform(_ command: SimCommand, group: inout ThrowingTaskGroup<Void, any Error>) async throws {
        switch command {
        case .error:
            try await link.send(error(type: "invalid_request_error", code: "sim_error", message: "simulated non-fatal error"))
            group.addTask { try await self.respond() }
        case .parts, .mcp:
            // Streamed parts and MCP approvals are ElevenLabs messages; a Realtime response streams anyway.
            group.addTask { try await self.respond() }
        case .interrupt:
            group.addTask { try await self.respond(bargeInAfter: 1) }
        case .tool:
            let responseId = beginResponse()
            try await link.send(.object([("type", "response.created"), ("response", .object([("id", .string(responseId)), ("status", "in_progress")]))]))
            try await link.send(.object([
                ("type", "response.function_call_arguments.done"), ("response_id", .string(responseId)),
                ("call_id", .string("call_\(nextItemId())")), ("name", .string(persona.tool?.name ?? "lookup")),
                ("arguments", .string(persona.tool?.arguments ?? "{}")),
            ]))
            try await finishResponse(responseId, status: "completed")
        case .close(let code):
            try await link.close(code: code, reason: "closed by /sim close")
        case .expire:
            try await link.send(error(type: "invalid_request_error", code: "session_expired", message: "Your session hit the maximum duration of 30 minutes."))
            try await link.close(code: 1001, reason: "session expired")
        }
    }

    private func error(type: String, code: String, message: String) -> JSONValue {
        .object([("type", "error"), ("error", .object([("type", .string(type)), ("code", .string(code)), ("message", .string(message))]))])
    }

    private func nextItemId() -> String {
        state.withLock { s in
            s.itemCounter += 1
            return "item_sim_\(s.itemCounter)"
        }
    }

    private func beginResponse() -> String {
        state.withLock { s in
            s.responseCounter += 1
            s.generation += 1
            s.activeResponse = "resp_sim_\(s.responseCounter)"
            return s.activeResponse!
        }
    }

    private func cancelResponse() async throws {
        let cancelled = state.withLock { s -> String? in
            defer { s.activeResponse = nil }
            s.generation += 1
            return s.activeResponse
        }
        if let cancelled { try await finishResponse(cancelled, status: "cancelled") }
    }

    private func finishResponse(_ id: String, status: String) async throws {
        state.withLock { s in
            if s.activeResponse == id { s.activeResponse = nil }
        }
        try await link.send(.object([
            ("type", "response.done"),
            ("response", .object([
                ("id", .string(id)), ("status", .string(status)),
                ("usage", .object([("total_tokens", 60), ("input_tokens", 20), ("output_tokens", 40)])),
            ])),
        ]))
        try await link.send(.object([
            ("type", "rate_limits.updated"),
            ("rate_limits", .array([
                .object([("name", "requests"), ("limit", 1000), ("remaining", 999), ("reset_seconds", 0.06)]),
                .object([("name", "tokens"), ("limit", 50000), ("remaining", 49940), ("reset_seconds", 0.07)]),
            ])),
        ]))
    }

    /// Streams one response: text (or audio with its transcript), then `response.done`.
    /// With `bargeInAfter`, the server's VAD "hears" the user after that many pieces.
    private func respond(bargeInAfter: Int? = nil) async throws {
        let (typed, audioOut, line) = state.withLock { s -> (String?, Bool, String) in
            defer { s.pendingText = nil; s.agentLine += 1 }
            return (s.pendingText, s.audioOut, persona.agentLines[s.agentLine % persona.agentLines.count])
        }
        let id = beginResponse()
        let generation = state.withLock { $0.generation }
        let itemId = nextItemId()
        let reply = typed.map { "\(persona.acknowledgements.first ?? "") “\($0)” \(line)" } ?? line
        try await link.turnFaults(error: error(type: "server_error", code: "sim_fault", message: "simulated server error"))
        try await link.send(.object([("type", "response.created"), ("response", .object([("id", .string(id)), ("status", "in_progress")]))]))
        try await link.send(.object([("type", "response.output_item.added"), ("response_id", .string(id)), ("item", .object([("id", .string(itemId))]))]))
        let pieces = link.withRandom { persona.pieces(of: reply, using: &$0) }
        let textType = audioOut ? name("response.output_audio_transcript.delta", beta: "response.audio_transcript.delta") : name("response.output_text.delta", beta: "response.text.delta")
        for (index, piece) in pieces.enumerated() {
            guard state.withLock({ $0.generation == generation }) else { return }
            try await link.send(.object([("type", .string(textType)), ("response_id", .string(id)), ("item_id", .string(itemId)), ("delta", .string(piece))]))
            if audioOut {
                try await link.send(.object([
                    ("type", .string(name("response.output_audio.delta", beta: "response.audio.delta"))), ("response_id", .string(id)),
                    ("item_id", .string(itemId)), ("output_index", 0), ("content_index", 0), ("delta", .string(SimAudio.realtimeChunk)),
                ]))
            }
            if let bargeInAfter, index == min(bargeInAfter, pieces.count - 1) {
                // The user "speaks" over the agent; a client doing barge-in cancels this response.
                try await link.send(.object([("type", "input_audio_buffer.speech_started"), ("audio_start_ms", 1000), ("item_id", .string(nextItemId()))]))
                for _ in 0..<100 where state.withLock({ $0.generation == generation }) {
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            try await Task.sleep(for: options.pieceInterval)
        }
        guard state.withLock({ $0.generation == generation }) else { return }
        if audioOut {
            try await link.send(.object([("type", .string(name("response.output_audio.done", beta: "response.audio.done"))), ("response_id", .string(id)), ("item_id", .string(itemId))]))
            try await link.send(.object([("type", .string(name("response.output_audio_transcript.done", beta: "response.audio_transcript.done"))), ("response_id", .string(id)), ("transcript", .string(reply))]))
        } else {
            try await link.send(.object([("type", .string(name("response.output_text.done", beta: "response.text.done"))), ("response_id", .string(id)), ("text", .string(reply))]))
        }
        try await finishResponse(id, status: "completed")
    }

    /// The server's VAD: a pause in appended audio ends the user's turn.
    private func tick() async throws {
        while true {
            try await Task.sleep(for: .milliseconds(50))
            if try await link.dropIfDue() { return }
            let ended = state.withLock { s -> Bool in
                guard s.serverVAD, s.speaking, let last = s.lastAudioAt, last.duration(to: .now) >= options.silenceTimeout else { return false }
                s.speaking = false
                s.lastAudioAt = nil
                s.audioBytes = 0
                return true
            }
            if ended {
                try await link.send(.object([("type", "input_audio_buffer.speech_stopped"), ("audio_end_ms", 1000)]))
                try await transcribeUserTurn()
                try await respond()
            }
        }
    }

    private func transcribeUserTurn() async throws {
        let line = state.withLock { s in
            defer { s.userLine += 1; s.audioBytes = 0 }
            return persona.userLines[s.userLine % persona.userLines.count]
        }
        let item = nextItemId()
        try await link.send(.object([("type", "input_audio_buffer.committed"), ("item_id", .string(item))]))
        try await link.send(.object([("type", "conversation.item.input_audio_transcription.completed"), ("item_id", .string(item)), ("content_index", 0), ("transcript", .string(line))]))
    }
}
