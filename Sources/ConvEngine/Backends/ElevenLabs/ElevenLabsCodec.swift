/// ElevenLabs agents frames ⇄ values, with no state and no socket.
public enum ElevenLabsCodec {
    // MARK: Server → client

    /// Decodes one server frame. Unknown types decode to ``ElevenLabsMessage/unknown(type:)``;
    /// a known type of the wrong shape is an error (see ``WirePayload``).
    public static func decode(_ text: String) throws(WireDecodeError) -> ElevenLabsMessage {
        let parsed = try WireDecodeError.parse(text)
        guard let type = parsed["type"]?.stringValue else { throw WireDecodeError("frame without a type", frame: text) }
        let frame = WirePayload(frame: parsed, text: text)
        switch type {
        case "conversation_initiation_metadata":
            let event = try frame.object("conversation_initiation_metadata_event", required: true)
            return .metadata(
                conversationId: try event.text("conversation_id"),
                outputFormat: try event.optionalRaw("agent_output_audio_format"),
                inputFormat: try event.optionalRaw("user_input_audio_format"))
        case "user_transcript":
            let event = try frame.object("user_transcription_event", required: true)
            return .userTranscript(text: try event.text("user_transcript"), eventId: event.integer("event_id"))
        case "tentative_user_transcript":
            let event = try frame.object("tentative_user_transcription_event", required: true)
            return .tentativeUserTranscript(text: try event.text("user_transcript"), eventId: event.integer("event_id"))
        case "agent_response":
            let event = try frame.object("agent_response_event", required: true)
            return .agentResponse(text: try event.text("agent_response"), eventId: event.integer("event_id"))
        case "agent_response_correction":
            let event = try frame.object("agent_response_correction_event", required: true)
            return .agentResponseCorrection(
                original: try event.text("original_agent_response"), corrected: try event.text("corrected_agent_response"),
                eventId: event.integer("event_id"))
        case "agent_chat_response_part":
            let event = try frame.object("text_response_part", required: true)
            return .agentResponsePart(
                text: try event.optionalText("text") ?? "", stage: try event.optionalRaw("type") ?? "delta",
                eventId: event.integer("event_id"))
        case "audio":
            let event = try frame.object("audio_event", required: true)
            return .audio(base64: try event.raw("audio_base_64"), eventId: event.integer("event_id"))
        case "interruption":
            return .interruption(eventId: try frame.object("interruption_event").integer("event_id"))
        case "ping":
            let event = try frame.object("ping_event")
            return .ping(eventId: event.integer("event_id"), pingMs: event.integer("ping_ms"))
        case "client_tool_call":
            let event = try frame.object("client_tool_call", required: true)
            return .clientToolCall(
                name: try event.text("tool_name"), callId: try event.text("tool_call_id"),
                parameters: TextSanitizer.sanitize(JSONWriter.string(event["parameters"] ?? .object([]))),
                eventId: event.integer("event_id"))
        case "vad_score":
            return .vadScore(try frame.object("vad_score_event", required: true).number("vad_score"))
        case "internal_tentative_agent_response":
            let event = try frame.object("tentative_agent_response_internal_event")
            return .tentativeAgentResponse(text: try event.optionalText("tentative_agent_response") ?? "")
        case "mcp_tool_call":
            let event = try frame.object("mcp_tool_call", required: true)
            let state = try event.text("state")
            let detail: String
            switch state {
            case "awaiting_approval": detail = TextSanitizer.sanitize(JSONWriter.string(event["parameters"] ?? .object([])))
            case "success": detail = TextSanitizer.sanitize(JSONWriter.string(event["result"] ?? .array([])))
            default: detail = try event.optionalText("error_message") ?? ""
            }
            return .mcpToolCall(name: try event.text("tool_name"), callId: try event.text("tool_call_id"), state: state, detail: detail)
        case "error":
            // The contract's `code` is the close code (an integer); `error_type` says what went
            // wrong, and `message` or `reason` says it in words.
            let event = try frame.object("error_event")
            let code = event["code"].flatMap { $0.isNull ? nil : $0.stringValue ?? JSONWriter.string($0) }
            let errorType = try event.optionalText("error_type")
            let said = try event.optionalText("message")
            let reason = try event.optionalText("reason")
            let message = said ?? reason ?? ""
            guard let errorType else { return .error(code: TextSanitizer.sanitize(code ?? "error"), message: message) }
            return .error(code: errorType, message: code.map { "\(message) (code \(TextSanitizer.sanitize($0)))" } ?? message)
        default:
            return .unknown(type: TextSanitizer.sanitize(type))
        }
    }

    // MARK: Client → server

    /// The first frame of a conversation.
    public static func initiation(_ options: ElevenLabsOptions) -> String {
        var agent: [(String, JSONValue)] = []
        if let prompt = options.prompt { agent.append(("prompt", .object([("prompt", .string(prompt))]))) }
        if let first = options.firstMessage { agent.append(("first_message", .string(first))) }
        if let language = options.language { agent.append(("language", .string(language))) }
        var override: [(String, JSONValue)] = []
        if !agent.isEmpty { override.append(("agent", .object(agent))) }
        if let voice = options.voiceId { override.append(("tts", .object([("voice_id", .string(voice))]))) }
        if options.textOnly { override.append(("conversation", .object([("text_only", true)]))) }
        var frame: [(String, JSONValue)] = [("type", "conversation_initiation_client_data")]
        // Sent only when configured: an agent refuses any override its settings do not allow.
        if !override.isEmpty { frame.append(("conversation_config_override", .object(override))) }
        if !options.dynamicVariables.isEmpty {
            frame.append(("dynamic_variables", .object(options.dynamicVariables.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })))
        }
        if let user = options.userId { frame.append(("user_id", .string(user))) }
        frame.append(("source_info", .object([("source", "convtui"), ("version", "0.1.0")])))
        return JSONWriter.string(.object(frame))
    }

    /// Written around its one value rather than built as a ``JSONValue`` object: one goes back
    /// for every server ping, and building and walking the object cost more than the frame.
    /// The id is still spelled by ``JSONWriter``, so the bytes are the ones it writes (tested).
    public static func pong(eventId: Int?) -> String {
        var out = Array(#"{"type":"pong","event_id":"#.utf8)
        JSONWriter.write(eventId.map(JSONValue.int) ?? .null, into: &out)
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    public static func userMessage(_ text: String) -> String {
        JSONWriter.string(.object([("type", "user_message"), ("text", .string(text))]))
    }

    public static func contextualUpdate(_ text: String) -> String {
        JSONWriter.string(.object([("type", "contextual_update"), ("text", .string(text))]))
    }

    public static func userActivity() -> String {
        #"{"type":"user_activity"}"#
    }

    /// An audio frame: the one client message without a `type`; `bytes` are PCM16 or μ-law,
    /// as the server asked.
    public static func audioChunk(_ bytes: [UInt8]) -> String {
        JSONWriter.string(.object([("user_audio_chunk", .string(Base64.encode(bytes)))]))
    }

    /// A like or dislike of the agent response with `eventId`.
    public static func feedback(eventId: Int, like: Bool) -> String {
        JSONWriter.string(.object([("type", "feedback"), ("event_id", .int(eventId)), ("score", like ? "like" : "dislike")]))
    }

    /// The answer to an MCP tool call awaiting approval.
    public static func toolApproval(callId: String, approved: Bool) -> String {
        JSONWriter.string(.object([("type", "mcp_tool_approval_result"), ("tool_call_id", .string(callId)), ("is_approved", .bool(approved))]))
    }

    public static func toolResult(callId: String, result: String, isError: Bool) -> String {
        JSONWriter.string(.object([
            ("type", "client_tool_result"), ("tool_call_id", .string(callId)), ("result", .string(result)),
            ("is_error", .bool(isError)),
        ]))
    }

    /// The sample rate of a `pcm_16000`-style format name; nil for `ulaw_8000` and formats we
    /// do not know.
    public static func pcmRate(_ format: String?) -> Int? {
        guard let format, format.hasPrefix("pcm_") else { return nil }
        return Int(format.dropFirst(4))
    }
}
