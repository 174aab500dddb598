/// ElevenLabs agents frames ⇄ values, with no state and no socket.
public enum ElevenLabsCodec {
    // MARK: Server → client

    /// Decodes one server frame. Unknown types decode to ``ElevenLabsMessage/unknown(type:)``.
    public static func decode(_ text: String) throws(WireDecodeError) -> ElevenLabsMessage {
        let frame = try WireDecodeError.parse(text)
        guard let type = frame["type"]?.stringValue else { throw WireDecodeError("frame without a type", frame: text) }
        func body(_ key: String) -> JSONValue { frame[key] ?? .object([]) }
        func string(_ value: JSONValue?, _ key: String) -> String {
            TextSanitizer.sanitize(value?[key]?.stringValue ?? "")
        }
        switch type {
        case "conversation_initiation_metadata":
            let event = body("conversation_initiation_metadata_event")
            guard let id = event["conversation_id"]?.stringValue else {
                throw WireDecodeError("metadata without a conversation_id", frame: text)
            }
            return .metadata(
                conversationId: TextSanitizer.sanitize(id),
                outputFormat: event["agent_output_audio_format"]?.stringValue,
                inputFormat: event["user_input_audio_format"]?.stringValue)
        case "user_transcript":
            let event = body("user_transcription_event")
            return .userTranscript(text: string(event, "user_transcript"), eventId: event["event_id"]?.intValue)
        case "tentative_user_transcript":
            let event = body("tentative_user_transcription_event")
            return .tentativeUserTranscript(text: string(event, "user_transcript"), eventId: event["event_id"]?.intValue)
        case "agent_response":
            let event = body("agent_response_event")
            return .agentResponse(text: string(event, "agent_response"), eventId: event["event_id"]?.intValue)
        case "agent_response_correction":
            let event = body("agent_response_correction_event")
            return .agentResponseCorrection(
                original: string(event, "original_agent_response"), corrected: string(event, "corrected_agent_response"),
                eventId: event["event_id"]?.intValue)
        case "agent_chat_response_part":
            let event = body("text_response_part")
            return .agentResponsePart(
                text: string(event, "text"), stage: event["type"]?.stringValue ?? "delta", eventId: event["event_id"]?.intValue)
        case "audio":
            let event = body("audio_event")
            return .audio(base64: event["audio_base_64"]?.stringValue ?? "", eventId: event["event_id"]?.intValue)
        case "interruption":
            return .interruption(eventId: body("interruption_event")["event_id"]?.intValue)
        case "ping":
            let event = body("ping_event")
            return .ping(eventId: event["event_id"]?.intValue, pingMs: event["ping_ms"]?.intValue)
        case "client_tool_call":
            let event = body("client_tool_call")
            return .clientToolCall(
                name: string(event, "tool_name"), callId: string(event, "tool_call_id"),
                parameters: TextSanitizer.sanitize(JSONWriter.string(event["parameters"] ?? .object([]))),
                eventId: event["event_id"]?.intValue)
        case "vad_score":
            return .vadScore(body("vad_score_event")["vad_score"]?.doubleValue ?? 0)
        case "internal_tentative_agent_response":
            return .tentativeAgentResponse(text: string(body("tentative_agent_response_internal_event"), "tentative_agent_response"))
        case "error":
            let event = body("error_event")
            let code = event["code"].map { $0.stringValue ?? JSONWriter.string($0) } ?? event["error_type"]?.stringValue ?? "error"
            let message = event["message"]?.stringValue ?? event["reason"]?.stringValue ?? ""
            return .error(code: TextSanitizer.sanitize(code), message: TextSanitizer.sanitize(message))
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
        var frame: [(String, JSONValue)] = [
            ("type", "conversation_initiation_client_data"),
            ("conversation_config_override", .object(override)),
        ]
        if !options.dynamicVariables.isEmpty {
            frame.append(("dynamic_variables", .object(options.dynamicVariables.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        if let user = options.userId { frame.append(("user_id", .string(user))) }
        frame.append(("source_info", .object([("source", "convtui"), ("version", "0.1.0")])))
        return JSONWriter.string(.object(frame))
    }

    public static func pong(eventId: Int?) -> String {
        JSONWriter.string(.object([("type", "pong"), ("event_id", eventId.map(JSONValue.int) ?? .null)]))
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

    /// An audio frame: the one client message without a `type`.
    public static func audioChunk(_ pcm: [UInt8]) -> String {
        JSONWriter.string(.object([("user_audio_chunk", .string(Base64.encode(pcm)))]))
    }

    public static func toolResult(callId: String, result: String, isError: Bool) -> String {
        JSONWriter.string(.object([
            ("type", "client_tool_result"), ("tool_call_id", .string(callId)), ("result", .string(result)),
            ("is_error", .bool(isError)),
        ]))
    }

    /// The sample rate of a `pcm_16000`-style format name; nil for formats we cannot send
    /// (`ulaw_8000`) or do not know.
    public static func pcmRate(_ format: String?) -> Int? {
        guard let format, format.hasPrefix("pcm_") else { return nil }
        return Int(format.dropFirst(4))
    }
}
