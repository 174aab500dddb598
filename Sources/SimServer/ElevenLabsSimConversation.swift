import ConvEngine
import Foundation
import HummingbirdWebSocket

/// One simulated ElevenLabs agent conversation over a real socket, playing a persona under an
/// agent's settings (``ElevenLabsSimAgent``), with the real service's rules (docs/sim-server.md):
/// overrides the agent does not allow, a first message's missing dynamic variable, an unknown
/// or incomplete client message end the conversation with 1008; user turns end on silent audio.
///
/// The reading loop takes client frames; a ticker sends pings, watches the no-input timeout and,
/// in load mode, streams responses. Agent turns run as child tasks; a newer turn or an
/// interruption supersedes an older one through `generation`.
final class ElevenLabsSimConversation: Sendable {
    private let link: SimLink
    private let persona: Persona
    private let agent: ElevenLabsSimAgent
    private let options: SimServerOptions
    private let conversationId: String
    /// Why the connection is refused before anything is read (a private agent without a
    /// valid signed URL).
    private let refusal: String?
    private let agentAudio: String
    private let state: Locked<State>

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
        var lastInputAt: ContinuousClock.Instant = .now
        var speech: SimSpeechDetector
        var pendingTool: String?
        /// MCP tool calls awaiting the user's approval, by call id.
        var pendingApprovals: Set<String> = []
        /// The event id of the turn still sending audio, if any.
        var speakingTurn: Int?
    }

    /// A rule broken: the error event and close that end the conversation.
    private struct Fatal: Error {
        let code: Int
        let errorType: String
        let message: String
    }

    init(
        link: SimLink, persona: Persona, agent: ElevenLabsSimAgent, options: SimServerOptions, conversationId: String,
        refusal: String?
    ) {
        self.link = link
        self.persona = persona
        self.agent = agent
        self.options = options
        self.conversationId = conversationId
        self.refusal = refusal
        self.agentAudio = SimAudio.elevenLabsChunk(format: agent.agentOutputAudioFormat)
        self.state = Locked(State(speech: SimSpeechDetector(silence: options.elevenLabsTurnSilence)))
    }

    func run(inbound: WebSocketInboundStream) async throws {
        var messages = inbound.messages(maxSize: options.maxMessageBytes).makeAsyncIterator()
        if let refusal {
            try await link.close(code: 1008, reason: refusal)
            return
        }
        do {
            try await converse(&messages)
        } catch let fatal as Fatal {
            try await end(fatal)
        }
    }

    /// Ends the conversation as the real server does on a broken rule: an `error` event with
    /// the close code and `error_type`, then the close with `error_type: message` as its reason.
    private func end(_ fatal: Fatal) async throws {
        try await link.send(.object([
                ("type", "error"),
                ("error_event", .object([
                    ("code", .int(fatal.code)), ("message", .string(fatal.message)), ("error_type", .string(fatal.errorType)),
                    ("reason", .string(fatal.message)),
                ])),
            ]))
        try await link.close(code: fatal.code, reason: Self.closeReason("\(fatal.errorType): \(fatal.message)"))
    }

    /// A close reason fits in 123 bytes (RFC 6455 §5.5); longer ones are cut at a character.
    private static func closeReason(_ text: String) -> String {
        var reason = ""
        for character in text {
            guard reason.utf8.count + String(character).utf8.count <= 123 else { break }
            reason.append(character)
        }
        return reason
    }

    private func converse(_ messages: inout WebSocketInboundMessageStream.AsyncIterator) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            // The first frame may carry initiation data; the metadata answers it.
            let first = try await link.next(&messages)
            let initiation = if let first { await link.json(first) } else { JSONValue?.none }
            var greeting = agent.firstMessage
            if let initiation, initiation["type"]?.stringValue == "conversation_initiation_client_data" {
                greeting = try initiate(initiation)
            }
            try await emit("conversation_initiation_metadata", "conversation_initiation_metadata_event", .object([
                ("conversation_id", .string(conversationId)), ("agent_output_audio_format", .string(agent.agentOutputAudioFormat)),
                ("user_input_audio_format", .string(agent.userInputAudioFormat)),
            ]))
            state.withLock { s in
                s.nextPing = .now + options.pingInterval
                s.lastInputAt = .now
            }
            group.addTask { try await self.tick() }
            if let greeting, !greeting.isEmpty { startTurn(reply: greeting, group: &group) }
            if let first, initiation?["type"]?.stringValue != "conversation_initiation_client_data" {
                try await receive(first, group: &group)
            }
            while let message = try await link.next(&messages) {
                try await receive(message, group: &group)
            }
            group.cancelAll()
        }
    }

    /// Checks the initiation data against the agent's settings and returns the first message
    /// with its dynamic variables filled in.
    private func initiate(_ frame: JSONValue) throws -> String? {
        let override = frame["conversation_config_override"] ?? .null
        for (path, _) in Self.leaves(of: override, at: "") {
            // The Python SDK sends `text_only` at the top of the override (docs/backends.md, "Wire facts").
            let field = path == "text_only" ? "conversation.text_only" : path
            guard agent.allowedOverrides.contains(field) else {
                let name = field.split(separator: ".").last.map(String.init) ?? field
                throw Fatal(code: 1008, errorType: "override_error", message: "Override for field '\(name)' is not allowed by config.")
            }
        }
        let textOnly = override["conversation"]?["text_only"]?.boolValue ?? override["text_only"]?.boolValue ?? false
        state.withLock { $0.textOnly = textOnly }
        var variables: [String: String] = ["system__agent_id": "sim", "system__conversation_id": conversationId]
        if case .object(let members)? = frame["dynamic_variables"] {
            for (name, value) in members {
                switch value {
                case .string(let text): variables[name] = text
                case .number, .bool: variables[name] = JSONWriter.string(value)
                default:
                    throw Fatal(code: 1008, errorType: "value_error", message: "dynamic variable '\(name)' must be a string, number or boolean")
                }
            }
        }
        let message = override["agent"]?["first_message"]?.stringValue ?? agent.firstMessage
        guard let message else { return nil }
        let (filled, missing) = Self.fill(message, variables)
        if !missing.isEmpty {
            throw Fatal(
                code: 1008, errorType: "missing_dynamic_variable",
                message: "Missing required dynamic variables in first message: {\(missing.map { "'\($0)'" }.joined(separator: ", "))}")
        }
        return filled
    }

    /// The paths of every non-null leaf of an override object (`agent.first_message`).
    private static func leaves(of value: JSONValue, at path: String) -> [(String, JSONValue)] {
        guard case .object(let members) = value else { return value.isNull || path.isEmpty ? [] : [(path, value)] }
        return members.flatMap { key, member in leaves(of: member, at: path.isEmpty ? key : "\(path).\(key)") }
    }

    /// `text` with each `{{name}}` replaced, and the names that have no value, sorted.
    static func fill(_ text: String, _ variables: [String: String]) -> (String, [String]) {
        var result = ""
        var missing: Set<String> = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            result += rest[..<open.lowerBound]
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if let value = variables[name] { result += value } else { missing.insert(name) }
            rest = rest[close.upperBound...]
        }
        result += rest
        return (result, missing.sorted())
    }

    private func receive(_ message: WebSocketMessage, group: inout ThrowingTaskGroup<Void, any Error>) async throws {
        try link.checkDrop()
        guard let frame = await link.json(message), case .object = frame else {
            throw Fatal(code: 1008, errorType: "invalid_message", message: "Invalid message received: not a JSON object")
        }
        if let chunk = frame["user_audio_chunk"] {
            try await hear(chunk, group: &group)
            return
        }
        let type = frame["type"]?.stringValue ?? ""
        if type != "pong" { state.withLock { $0.lastInputAt = .now } }
        switch type {
        case "pong":
            let id = try required(frame, "event_id", type) { $0.intValue }
            state.withLock { s in
                if let sent = s.pingSentAt.removeValue(forKey: id) {
                    let elapsed = sent.duration(to: .now).components
                    s.lastLatencyMs = Int(elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000)
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
            let callId = try required(frame, "tool_call_id", type) { $0.stringValue }
            let result = try required(frame, "result", type) { $0.stringValue }
            _ = try required(frame, "is_error", type) { $0.boolValue }
            let waiting = state.withLock { s -> Bool in
                defer { if s.pendingTool == callId { s.pendingTool = nil } }
                return s.pendingTool == callId
            }
            if waiting { startTurn(reply: "The tool answered: \(result)", group: &group) }
        case "mcp_tool_approval_result":
            let callId = try required(frame, "tool_call_id", type) { $0.stringValue }
            let approved = try required(frame, "is_approved", type) { $0.boolValue }
            if state.withLock({ $0.pendingApprovals.remove(callId) != nil }) {
                try await finishMCPCall(callId, approved: approved, group: &group)
            }
        case "feedback":
            _ = try required(frame, "event_id", type) { $0.intValue }
            guard let score = frame["score"], score.isNull || ["like", "dislike"].contains(score.stringValue ?? "") else {
                throw Fatal(code: 1008, errorType: "missing_fields", message: "feedback: score must be \"like\", \"dislike\" or null")
            }
        case "contextual_update":
            _ = try required(frame, "text", type) { $0.stringValue }
        case "user_activity", "conversation_initiation_client_data", "multimodal_message":
            break
        default:
            throw Fatal(code: 1008, errorType: "invalid_message", message: "Invalid message received: unknown type '\(type)'")
        }
    }

    /// A required member of a client message, of the right JSON type, or the conversation ends.
    private func required<T>(_ frame: JSONValue, _ key: String, _ type: String, _ read: (JSONValue) -> T?) throws -> T {
        guard let value = frame[key].flatMap(read) else {
            throw Fatal(code: 1008, errorType: "missing_fields", message: "\(type): field '\(key)' is missing or of the wrong type")
        }
        return value
    }

    /// A `user_audio_chunk`: decoded in the agent's input format and fed to the VAD, which
    /// interrupts the agent when speech starts and ends the user's turn after silent audio.
    private func hear(_ chunk: JSONValue, group: inout ThrowingTaskGroup<Void, any Error>) async throws {
        guard let text = chunk.stringValue, let bytes = Base64.decode(text) else {
            throw Fatal(code: 1008, errorType: "invalid_message", message: "Invalid message received: user_audio_chunk is not base64")
        }
        let audio: AudioChunk
        if agent.userInputAudioFormat == "ulaw_8000" {
            audio = MuLaw.decode(bytes, sampleRate: 8000)
        } else {
            audio = AudioChunk(pcm: bytes, sampleRate: ElevenLabsCodec.pcmRate(agent.userInputAudioFormat) ?? 16000)
        }
        let changes = state.withLock { s in
            s.lastInputAt = .now
            return s.speech.feed(audio)
        }
        for change in changes {
            switch change {
            case .speechStarted: try await interruptCurrentTurn()
            case .speechEnded: startUserAudioTurn(group: &group)
            }
        }
    }

    private func perform(_ command: SimCommand, group: inout ThrowingTaskGroup<Void, any Error>) async throws {
        switch command {
        case .interrupt:
            // audio n, interruption n, audio n again (stale), then a fresh turn n+1 that is kept.
            let id = nextEventId()
            try await send(audio: id)
            try await emit("interruption", "interruption_event", .object([("event_id", .int(id))]))
            try await send(audio: id)
            startTurn(answering: nil, group: &group)
        case .tool:
            let callId = "call_\(nextEventId())"
            state.withLock { $0.pendingTool = callId }
            let name = persona.tool?.name ?? "lookup"
            let arguments = (try? JSONParser.parse(persona.tool?.arguments ?? "{}")) ?? .object([])
            try await emit("client_tool_call", "client_tool_call", .object([
                ("tool_name", .string(name)), ("tool_call_id", .string(callId)), ("parameters", arguments),
                ("event_id", .int(nextEventId())),
            ]))
        case .mcp:
            let callId = "mcp_\(nextEventId())"
            state.withLock { _ = $0.pendingApprovals.insert(callId) }
            try await emitMCP(callId, state: "awaiting_approval", [("approval_timeout_secs", 300)])
        case .error:
            try await link.send(nonFatalError())
            startTurn(answering: nil, group: &group)
        case .close(let code):
            try await link.close(code: code, reason: code == 1000 ? "max_duration_exceeded" : "closed by /sim close")
        case .expire:
            try await link.close(code: 1000, reason: "max_duration_exceeded")
        case .parts:
            let id = nextEventId()
            let reply = nextAgentLine()
            let pieces = link.withRandom { persona.pieces(of: reply, using: &$0) }
            try await part("", stage: "start", id: id)
            for piece in pieces { try await part(piece, stage: "delta", id: id) }
            try await part("", stage: "stop", id: id)
            try await emit("agent_response_correction", "agent_response_correction_event", .object([
                ("original_agent_response", .string(reply)), ("corrected_agent_response", .string(reply + " (corrected)")),
                ("event_id", .int(id)),
            ]))
        }
    }

    /// One state of an MCP tool call (`MCPToolCall` in the contract).
    private func emitMCP(_ callId: String, state: String, _ extra: [(String, JSONValue)]) async throws {
        let name = persona.tool?.name ?? "lookup"
        let arguments = (try? JSONParser.parse(persona.tool?.arguments ?? "{}")) ?? .object([])
        try await emit("mcp_tool_call", "mcp_tool_call", .object([
            ("service_id", "sim_mcp"), ("tool_call_id", .string(callId)), ("tool_name", .string(name)),
            ("tool_description", "A simulated MCP tool"), ("parameters", arguments), ("timestamp", "2026-01-01T00:00:00Z"),
            ("state", .string(state)),
        ] + extra))
    }

    private func finishMCPCall(_ callId: String, approved: Bool, group: inout ThrowingTaskGroup<Void, any Error>) async throws {
        if approved {
            try await emitMCP(callId, state: "loading", [])
            try await emitMCP(callId, state: "success", [("result", .array([.object([("type", "text"), ("text", "done")])]))])
            startTurn(reply: "The MCP tool ran.", group: &group)
        } else {
            try await emitMCP(callId, state: "failure", [("error_message", "The user did not approve the tool call.")])
            startTurn(reply: "The MCP tool was not approved.", group: &group)
        }
    }

    private func part(_ text: String, stage: String, id: Int) async throws {
        try await emit("agent_chat_response_part", "text_response_part", .object([("text", .string(text)), ("type", .string(stage)), ("event_id", .int(id))]))
    }

    private func nonFatalError() -> JSONValue {
        .object([
            ("type", "error"),
            ("error_event", .object([("code", 1011), ("message", "simulated non-fatal error"), ("error_type", "unknown")])),
        ])
    }

    /// Sends a server event if the agent's `client_events` include its type; the real server
    /// never sends the others.
    private func emit(_ type: String, _ key: String, _ payload: JSONValue) async throws {
        guard agent.clientEvents.contains(type) else { return }
        try await link.send(.object([("type", .string(type)), (key, payload)]))
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
        try await emit("audio", "audio_event", .object([("audio_base_64", .string(agentAudio)), ("event_id", .int(id))]))
    }

    /// Interrupts a turn still sending audio, as the real server does when the user speaks.
    private func interruptCurrentTurn() async throws {
        let speaking = state.withLock { s -> Int? in
            defer { s.speakingTurn = nil }
            s.generation += 1
            return s.speakingTurn
        }
        if let speaking {
            try await emit("interruption", "interruption_event", .object([("event_id", .int(speaking))]))
        }
    }

    private func startTurn(answering text: String?, group: inout ThrowingTaskGroup<Void, any Error>) {
        var reply = nextAgentLine()
        if let text, !text.isEmpty {
            let ack = link.withRandom { $0.pick(persona.acknowledgements) }
            reply = "\(ack) “\(Self.quote(text))” \(reply)"
        }
        startTurn(reply: reply, group: &group)
    }

    /// The user's words as the persona quotes them: at most 200 characters (a megabyte-long
    /// message is not sent back whole).
    private static func quote(_ text: String) -> String {
        let head = text.prefix(200)
        return head.endIndex == text.endIndex ? text : head + "…"
    }

    private func startTurn(reply: String, group: inout ThrowingTaskGroup<Void, any Error>) {
        group.addTask { try await self.playTurn(reply: reply) }
    }

    private func startUserAudioTurn(group: inout ThrowingTaskGroup<Void, any Error>) {
        group.addTask { try await self.endUserAudioTurn() }
    }

    /// One agent turn: its faults, the response text, then audio until done or superseded.
    private func playTurn(reply: String) async throws {
        let (generation, id, textOnly) = state.withLock { s in
            s.generation += 1
            s.eventId += 1
            s.speakingTurn = s.textOnly ? nil : s.eventId
            return (s.generation, s.eventId, s.textOnly)
        }
        try await link.turnFaults(error: nonFatalError())
        try await emit("agent_response", "agent_response_event", .object([("agent_response", .string(reply)), ("event_id", .int(id))]))
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

    /// Pings, the no-input timeout, and the load mode's responses.
    private func tick() async throws {
        let tick: Duration = .milliseconds(options.load ? 100 : 50)
        while true {
            try await Task.sleep(for: tick)
            if try await link.dropIfDue() { return }
            let now = ContinuousClock.now
            let (ping, idle) = state.withLock { s -> ((Int, Int?)?, Bool) in
                var ping: (Int, Int?)?
                if now >= s.nextPing {
                    s.pingId += 1
                    s.pingSentAt[s.pingId] = now
                    s.nextPing = now + options.pingInterval
                    ping = (s.pingId, s.lastLatencyMs)
                }
                // A stalled conversation sends nothing, its close included.
                let idle = !options.load && !link.stalled && options.noInputTimeout.map { s.lastInputAt.duration(to: now) >= $0 } ?? false
                return (ping, idle)
            }
            if idle {
                // Closing ends the reading loop, which ends this conversation.
                try await end(Fatal(code: 1002, errorType: "transport_receive_timeout", message: "No user input received for too long"))
                return
            }
            if let (id, latency) = ping {
                try await emit("ping", "ping_event", .object([("event_id", .int(id)), ("ping_ms", latency.map(JSONValue.int) ?? .null)]))
            }
            if options.load {
                let id = nextEventId()
                try await emit("agent_response", "agent_response_event", .object([
                    ("agent_response", .string(persona.agentLines[id % persona.agentLines.count])), ("event_id", .int(id)),
                ]))
            }
        }
    }

    /// What the server says once the VAD has heard the user stop: a VAD score, the
    /// transcript, then an answer.
    private func endUserAudioTurn() async throws {
        let (line, id) = state.withLock { s -> (String, Int) in
            defer { s.userLine += 1 }
            s.eventId += 1
            return (persona.userLines[s.userLine % persona.userLines.count], s.eventId)
        }
        try await emit("vad_score", "vad_score_event", .object([("vad_score", 0.92)]))
        try await emit("tentative_user_transcript", "tentative_user_transcription_event", .object([
            ("user_transcript", .string(String(line.prefix(12)))), ("event_id", .int(id)),
        ]))
        try await emit("user_transcript", "user_transcription_event", .object([("user_transcript", .string(line)), ("event_id", .int(id))]))
        try await playTurn(reply: "\(persona.acknowledgements.first ?? "") I heard your audio. \(nextAgentLine())")
    }
}
