import ConvEngine
import HummingbirdWebSocket

/// One simulated OpenAI Realtime session over a real socket, in the GA or the beta dialect.
///
/// A witness, never more lenient than the real service (each rule and its source in
/// docs/sim-server.md): `session.update` is checked against the dialect's shape; one response
/// at a time (`conversation_already_has_active_response`); server VAD hears the audio itself
/// and ends a turn after `silence_duration_ms` of silent *audio*; `interrupt_response` cancels
/// the response on speech; a cancel with nothing active and a truncate past the audio sent
/// are errors. Every error echoes the client event's `event_id`.
final class OpenAISimConversation: Sendable {
    private let link: SimLink
    private let persona: Persona
    private let options: SimServerOptions
    private let dialect: RealtimeDialect
    private let sessionId: String
    private let state = Locked(State())

    /// Loudness (mean absolute sample) above which a 10 ms frame is speech.
    static var speechLevel: Int { 300 }
    /// The server's defaults for `turn_detection` of type `server_vad`.
    static var defaultSilenceMilliseconds: Int { 500 }

    private struct State {
        var serverVAD = true
        var interruptResponse = true
        var createResponse = true
        var silenceMilliseconds = OpenAISimConversation.defaultSilenceMilliseconds
        var audioOut = true
        var itemCounter = 0
        var responseCounter = 0
        var generation = 0
        /// The response in progress, if any.
        var activeResponse: String?
        var pendingText: String?
        var pendingCommand: SimCommand?
        /// Audio in the input buffer, in milliseconds of audio (not of wall clock).
        var bufferMilliseconds = 0.0
        var bufferBytes = 0
        var speaking = false
        /// Silent audio heard since the last speech, in milliseconds of audio.
        var silentMilliseconds = 0.0
        /// Samples of a 10 ms VAD frame not yet complete.
        var partialFrame: [Int16] = []
        /// Agent audio sent per item, in milliseconds (the limit of a truncate).
        var itemAudioMilliseconds: [String: Int] = [:]
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
            group.addTask { try await self.watchForDrop() }
            var messages = inbound.messages(maxSize: options.maxMessageBytes).makeAsyncIterator()
            while let message = try await link.next(&messages) {
                if let frame = await link.json(message) {
                    try await receive(frame, group: &group)
                } else {
                    try await link.send(error(type: "invalid_request_error", code: "invalid_json", message: "frame is not JSON", to: nil))
                }
            }
            group.cancelAll()
        }
    }

    private func receive(_ frame: JSONValue, group: inout ThrowingTaskGroup<Void, any Error>) async throws {
        try link.checkDrop()
        switch frame["type"]?.stringValue ?? "" {
        case "session.update":
            try await updateSession(frame)
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
            guard let responseId = beginResponse() else {
                try await link.send(error(
                    type: "invalid_request_error", code: "conversation_already_has_active_response",
                    message: "Conversation already has an active response in progress. Wait until the response is finished before creating a new one.", to: frame))
                return
            }
            let command = state.withLock { s -> SimCommand? in
                defer { s.pendingCommand = nil }
                return s.pendingCommand
            }
            if let command {
                try await perform(command, responseId: responseId, group: &group)
            } else {
                group.addTask { try await self.respond(responseId) }
            }
        case "input_audio_buffer.append":
            try await append(Base64.decode(frame["audio"]?.stringValue ?? "") ?? [], group: &group)
        case "input_audio_buffer.commit":
            let bytes = state.withLock { s -> Int in
                defer { s.bufferBytes = 0; s.bufferMilliseconds = 0; s.speaking = false; s.silentMilliseconds = 0 }
                return s.bufferBytes
            }
            // The real service refuses less than 100 ms of audio.
            if bytes < OpenAIRealtimeOptions.sampleRate / 10 * 2 {
                let ms = "\(bytes / 48).\(bytes % 48 * 100 / 48 / 10)"
                try await link.send(error(
                    type: "invalid_request_error", code: "input_audio_buffer_commit_empty",
                    message: "Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has \(ms)ms of audio.", to: frame))
            } else {
                try await transcribeUserTurn()
            }
        case "input_audio_buffer.clear":
            state.withLock { s in
                s.bufferBytes = 0
                s.bufferMilliseconds = 0
                s.speaking = false
            }
            try await link.send(.object([("type", "input_audio_buffer.cleared")]))
        case "response.cancel":
            let cancelled = try await cancelResponse()
            if !cancelled {
                try await link.send(error(
                    type: "invalid_request_error", code: "response_cancel_not_active",
                    message: "Cancellation failed: no active response found", to: frame))
            }
        case "conversation.item.truncate":
            try await truncate(frame)
        case "conversation.item.delete":
            try await link.send(.object([("type", "conversation.item.deleted"), ("item_id", frame["item_id"] ?? .null)]))
        default:
            try await link.send(error(type: "invalid_request_error", code: "invalid_value", message: "Invalid value: unknown client event type.", to: frame))
        }
    }

    // MARK: Session

    /// Applies a `session.update` whose shape matches the dialect, or refuses it.
    private func updateSession(_ frame: JSONValue) async throws {
        guard case .object(let members)? = frame["session"] else {
            try await link.send(error(type: "invalid_request_error", code: "missing_required_parameter", message: "Missing required parameter: 'session'.", to: frame, param: "session"))
            return
        }
        let session = frame["session"] ?? .object([])
        let keys = Set(members.map(\.0))
        let ga: Set<String> = ["type", "output_modalities", "audio", "instructions", "tools", "tool_choice", "max_output_tokens", "model", "prompt", "tracing", "truncation", "include"]
        let beta: Set<String> = [
            "modalities", "instructions", "voice", "input_audio_format", "output_audio_format", "input_audio_transcription", "turn_detection",
            "tools", "tool_choice", "temperature", "max_response_output_tokens", "model", "speed", "tracing", "input_audio_noise_reduction",
        ]
        if let foreign = keys.subtracting(dialect == .ga ? ga : beta).sorted().first {
            try await link.send(error(type: "invalid_request_error", code: "unknown_parameter", message: "Unknown parameter: 'session.\(foreign)'.", to: frame, param: "session.\(foreign)"))
            return
        }
        if dialect == .ga, session["type"]?.stringValue != "realtime" {
            let missing = session["type"] == nil
            try await link.send(error(
                type: "invalid_request_error", code: missing ? "missing_required_parameter" : "invalid_value",
                message: missing ? "Missing required parameter: 'session.type'." : "Invalid value: 'session.type' must be 'realtime'.", to: frame, param: "session.type"))
            return
        }
        let detection = dialect == .ga ? session["audio"]?["input"]?["turn_detection"] : session["turn_detection"]
        let modalities = (dialect == .ga ? session["output_modalities"] : session["modalities"])?.arrayValue?.compactMap(\.stringValue)
        state.withLock { s in
            if let detection {
                s.serverVAD = !detection.isNull
                s.interruptResponse = detection["interrupt_response"]?.boolValue ?? true
                s.createResponse = detection["create_response"]?.boolValue ?? true
                s.silenceMilliseconds = detection["silence_duration_ms"]?.intValue ?? Self.defaultSilenceMilliseconds
            }
            if let modalities { s.audioOut = modalities.contains("audio") }
        }
        try await link.send(.object([("type", "session.updated"), ("session", session)]))
    }

    // MARK: Server VAD

    /// Buffers appended audio and runs the VAD over it, frame by 10 ms frame of audio time.
    private func append(_ pcm: [UInt8], group: inout ThrowingTaskGroup<Void, any Error>) async throws {
        let samples = AudioChunk(pcm: pcm, sampleRate: OpenAIRealtimeOptions.sampleRate)
        let frameSamples = OpenAIRealtimeOptions.sampleRate / 100
        enum Change { case started(Int), stopped(Int) }
        let changes = state.withLock { s -> [Change] in
            s.bufferBytes += pcm.count
            s.bufferMilliseconds += Double(samples.sampleCount) * 1000 / Double(OpenAIRealtimeOptions.sampleRate)
            guard s.serverVAD else { return [] }
            var changes: [Change] = []
            var frame = s.partialFrame
            for index in stride(from: 0, to: pcm.count - 1, by: 2) {
                frame.append(Int16(bitPattern: UInt16(pcm[index]) | UInt16(pcm[index + 1]) << 8))
                guard frame.count == frameSamples else { continue }
                let level = frame.reduce(0) { $0 + abs(Int($1)) } / frameSamples
                frame.removeAll(keepingCapacity: true)
                if level >= Self.speechLevel {
                    s.silentMilliseconds = 0
                    if !s.speaking {
                        s.speaking = true
                        changes.append(.started(Int(s.bufferMilliseconds)))
                    }
                } else if s.speaking {
                    s.silentMilliseconds += 10
                    if s.silentMilliseconds >= Double(s.silenceMilliseconds) {
                        s.speaking = false
                        s.silentMilliseconds = 0
                        changes.append(.stopped(Int(s.bufferMilliseconds)))
                    }
                }
            }
            s.partialFrame = frame
            return changes
        }
        for change in changes {
            switch change {
            case .started(let ms):
                try await link.send(.object([("type", "input_audio_buffer.speech_started"), ("audio_start_ms", .int(ms)), ("item_id", .string(nextItemId()))]))
                try await interruptOnSpeech()
            case .stopped(let ms):
                try await link.send(.object([("type", "input_audio_buffer.speech_stopped"), ("audio_end_ms", .int(ms))]))
                try await transcribeUserTurn()
                if state.withLock({ $0.createResponse }), let id = beginResponse() {
                    group.addTask { try await self.respond(id) }
                }
            }
        }
    }

    /// Speech over an active response cancels it when `interrupt_response` is on.
    private func interruptOnSpeech() async throws {
        guard state.withLock({ $0.interruptResponse }) else { return }
        _ = try await cancelResponse()
    }

    // MARK: Responses

    private func perform(_ command: SimCommand, responseId: String, group: inout ThrowingTaskGroup<Void, any Error>) async throws {
        switch command {
        case .error:
            try await link.send(error(type: "invalid_request_error", code: "sim_error", message: "simulated non-fatal error", to: nil))
            group.addTask { try await self.respond(responseId) }
        case .parts, .mcp:
            // Streamed parts and MCP approvals are ElevenLabs messages; a Realtime response streams anyway.
            group.addTask { try await self.respond(responseId) }
        case .interrupt:
            group.addTask { try await self.respond(responseId, bargeInAfter: 1) }
        case .tool:
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
            try await link.send(error(type: "invalid_request_error", code: "session_expired", message: "Your session hit the maximum duration of 30 minutes.", to: nil))
            try await link.close(code: 1001, reason: "session expired")
        }
    }

    /// An `error` event; `to` is the client event that caused it, whose `event_id` it echoes.
    private func error(type: String, code: String, message: String, to cause: JSONValue?, param: String? = nil) -> JSONValue {
        var fields: [(String, JSONValue)] = [("type", .string(type)), ("code", .string(code)), ("message", .string(message))]
        if let param { fields.append(("param", .string(param))) }
        if let eventId = cause?["event_id"]?.stringValue { fields.append(("event_id", .string(eventId))) }
        return .object([("type", "error"), ("error", .object(fields))])
    }

    private func nextItemId() -> String {
        state.withLock { s in
            s.itemCounter += 1
            return "item_sim_\(s.itemCounter)"
        }
    }

    /// Makes a new response the active one; nil while another is active.
    private func beginResponse() -> String? {
        state.withLock { s in
            guard s.activeResponse == nil else { return nil }
            s.responseCounter += 1
            s.generation += 1
            let id = "resp_sim_\(s.responseCounter)"
            s.activeResponse = id
            return id
        }
    }

    /// Cancels the active response; false when there is none.
    private func cancelResponse() async throws -> Bool {
        let cancelled = state.withLock { s -> String? in
            defer { s.activeResponse = nil }
            s.generation += 1
            return s.activeResponse
        }
        guard let cancelled else { return false }
        try await finishResponse(cancelled, status: "cancelled", force: true)
        return true
    }

    private func finishResponse(_ id: String, status: String, force: Bool = false) async throws {
        let current = state.withLock { s -> Bool in
            guard s.activeResponse == id else { return false }
            s.activeResponse = nil
            return true
        }
        guard current || force else { return }
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

    /// Streams response `id`: text (or audio with its transcript), then `response.done`.
    /// With `bargeInAfter`, the server's VAD "hears" the user after that many pieces.
    private func respond(_ id: String, bargeInAfter: Int? = nil) async throws {
        let (typed, audioOut, line, generation) = state.withLock { s -> (String?, Bool, String, Int) in
            defer { s.pendingText = nil; s.agentLine += 1 }
            return (s.pendingText, s.audioOut, persona.agentLines[s.agentLine % persona.agentLines.count], s.generation)
        }
        let itemId = nextItemId()
        let reply = typed.map { "\(persona.acknowledgements.first ?? "") “\($0)” \(line)" } ?? line
        try await link.turnFaults(error: error(type: "server_error", code: "sim_fault", message: "simulated server error", to: nil))
        try await link.send(.object([("type", "response.created"), ("response", .object([("id", .string(id)), ("status", "in_progress")]))]))
        try await link.send(.object([("type", "response.output_item.added"), ("response_id", .string(id)), ("item", .object([("id", .string(itemId))]))]))
        let pieces = link.withRandom { persona.pieces(of: reply, using: &$0) }
        let textType = audioOut ? name("response.output_audio_transcript.delta", beta: "response.audio_transcript.delta") : name("response.output_text.delta", beta: "response.text.delta")
        for (index, piece) in pieces.enumerated() {
            guard state.withLock({ $0.generation == generation }) else { return }
            try await link.send(.object([("type", .string(textType)), ("response_id", .string(id)), ("item_id", .string(itemId)), ("delta", .string(piece))]))
            if audioOut {
                state.withLock { $0.itemAudioMilliseconds[itemId, default: 0] += SimAudio.realtimeChunkMilliseconds }
                try await link.send(.object([
                    ("type", .string(name("response.output_audio.delta", beta: "response.audio.delta"))), ("response_id", .string(id)),
                    ("item_id", .string(itemId)), ("output_index", 0), ("content_index", 0), ("delta", .string(SimAudio.realtimeChunk)),
                ]))
            }
            if let bargeInAfter, index == min(bargeInAfter, pieces.count - 1) {
                // The user "speaks" over the agent: the server cancels (interrupt_response) or
                // waits for the client's cancel.
                try await link.send(.object([("type", "input_audio_buffer.speech_started"), ("audio_start_ms", 1000), ("item_id", .string(nextItemId()))]))
                try await interruptOnSpeech()
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

    /// A truncate may not reach past the agent audio sent for that item.
    private func truncate(_ frame: JSONValue) async throws {
        let item = frame["item_id"]?.stringValue ?? ""
        let end = frame["audio_end_ms"]?.intValue ?? -1
        guard let sent = state.withLock({ $0.itemAudioMilliseconds[item] }) else {
            try await link.send(error(type: "invalid_request_error", code: "item_not_found", message: "Item with item_id not found: \(item)", to: frame, param: "item_id"))
            return
        }
        guard end >= 0, end <= sent else {
            try await link.send(error(
                type: "invalid_request_error", code: "invalid_value",
                message: "Audio content of \(sent)ms is already shorter than \(end)ms", to: frame, param: "audio_end_ms"))
            return
        }
        try await link.send(.object([
            ("type", "conversation.item.truncated"), ("item_id", .string(item)), ("content_index", 0), ("audio_end_ms", .int(end)),
        ]))
    }

    /// The drop fault, on a timer: a quiet session is dropped too.
    private func watchForDrop() async throws {
        while true {
            try await Task.sleep(for: .milliseconds(50))
            if try await link.dropIfDue() { return }
        }
    }

    private func transcribeUserTurn() async throws {
        let line = state.withLock { s in
            defer { s.userLine += 1; s.bufferBytes = 0; s.bufferMilliseconds = 0 }
            return persona.userLines[s.userLine % persona.userLines.count]
        }
        let item = nextItemId()
        try await link.send(.object([("type", "input_audio_buffer.committed"), ("item_id", .string(item))]))
        try await link.send(.object([("type", "conversation.item.input_audio_transcription.completed"), ("item_id", .string(item)), ("content_index", 0), ("transcript", .string(line))]))
    }
}
