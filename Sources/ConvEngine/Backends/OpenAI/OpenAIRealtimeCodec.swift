/// OpenAI Realtime frames ⇄ values, in either dialect, with no state and no socket.
public enum OpenAIRealtimeCodec {
    // MARK: Server → client

    /// Events that are known and deliberately not shown.
    static let ignoredTypes: Set<String> = [
        "input_audio_buffer.committed", "input_audio_buffer.cleared", "conversation.created",
        "conversation.item.created", "conversation.item.added", "conversation.item.done", "conversation.item.truncated",
        "conversation.item.deleted", "conversation.item.retrieved", "response.output_item.added", "response.output_item.done",
        "response.content_part.added", "response.content_part.done", "response.function_call_arguments.delta",
        "input_audio_buffer.timeout_triggered", "output_audio_buffer.started", "output_audio_buffer.stopped",
        "output_audio_buffer.cleared",
    ]

    /// Decodes one server frame, whichever dialect named it.
    public static func decode(_ text: String) throws(WireDecodeError) -> OpenAIRealtimeMessage {
        let frame = try WireDecodeError.parse(text)
        guard let type = frame["type"]?.stringValue else { throw WireDecodeError("frame without a type", frame: text) }
        func string(_ key: String) -> String { TextSanitizer.sanitize(frame[key]?.stringValue ?? "") }
        switch type {
        case "session.created":
            return .sessionCreated(id: TextSanitizer.sanitize(frame["session"]?["id"]?.stringValue ?? "session"))
        case "session.updated", "transcription_session.updated":
            return .sessionUpdated
        case "input_audio_buffer.speech_started":
            return .speechStarted(itemId: frame["item_id"]?.stringValue, audioStartMs: frame["audio_start_ms"]?.intValue)
        case "input_audio_buffer.speech_stopped":
            return .speechStopped
        case "conversation.item.input_audio_transcription.delta":
            return .inputTranscriptDelta(itemId: string("item_id"), delta: string("delta"))
        case "conversation.item.input_audio_transcription.completed":
            return .inputTranscriptCompleted(itemId: string("item_id"), transcript: string("transcript"))
        case "conversation.item.input_audio_transcription.failed":
            return .inputTranscriptFailed(message: TextSanitizer.sanitize(frame["error"]?["message"]?.stringValue ?? "transcription failed"))
        case "response.created":
            return .responseCreated(id: TextSanitizer.sanitize(frame["response"]?["id"]?.stringValue ?? ""))
        case "response.output_text.delta", "response.text.delta", "response.output_audio_transcript.delta",
            "response.audio_transcript.delta":
            return .textDelta(responseId: string("response_id"), delta: string("delta"))
        case "response.output_text.done", "response.text.done":
            return .textDone(responseId: string("response_id"), text: frame["text"]?.stringValue.map(TextSanitizer.sanitize))
        case "response.output_audio_transcript.done", "response.audio_transcript.done":
            return .textDone(responseId: string("response_id"), text: frame["transcript"]?.stringValue.map(TextSanitizer.sanitize))
        case "response.output_audio.delta", "response.audio.delta":
            return .audioDelta(responseId: string("response_id"), itemId: string("item_id"), base64: frame["delta"]?.stringValue ?? "")
        case "response.output_audio.done", "response.audio.done":
            return .audioDone
        case "response.function_call_arguments.done":
            return .functionCall(callId: string("call_id"), name: string("name"), arguments: string("arguments"))
        case "response.done":
            let response = frame["response"]
            let usage = response?["usage"]
            return .responseDone(
                id: TextSanitizer.sanitize(response?["id"]?.stringValue ?? ""),
                status: TextSanitizer.sanitize(response?["status"]?.stringValue ?? "completed"),
                inputTokens: usage?["input_tokens"]?.intValue, outputTokens: usage?["output_tokens"]?.intValue)
        case "rate_limits.updated":
            let limits = frame["rate_limits"]?.arrayValue ?? []
            let parts = limits.map { limit -> String in
                let name = limit["name"]?.stringValue ?? "?"
                let remaining = limit["remaining"]?.intValue.map(String.init) ?? "?"
                let total = limit["limit"]?.intValue.map(String.init) ?? "?"
                return "\(name) \(remaining)/\(total)"
            }
            return .rateLimits(summary: TextSanitizer.sanitize(parts.joined(separator: ", ")))
        case "error":
            let error = frame["error"]
            let code = error?["code"]?.stringValue ?? error?["type"]?.stringValue ?? "error"
            return .error(code: TextSanitizer.sanitize(code), message: TextSanitizer.sanitize(error?["message"]?.stringValue ?? ""))
        default:
            return ignoredTypes.contains(type) ? .ignored(type: type) : .unknown(type: TextSanitizer.sanitize(type))
        }
    }

    // MARK: Client → server

    /// `session.update` built from the options, in the options' dialect.
    public static func sessionUpdate(_ options: OpenAIRealtimeOptions) -> String {
        let turnDetection: JSONValue = options.serverVAD ? .object([("type", "server_vad")]) : .null
        let transcription: JSONValue = options.transcriptionModel.map { .object([("model", .string($0))]) } ?? .null
        var session: [(String, JSONValue)]
        switch options.dialect {
        case .ga:
            let format: JSONValue = .object([("type", "audio/pcm"), ("rate", .int(OpenAIRealtimeOptions.sampleRate))])
            var output: [(String, JSONValue)] = [("format", format)]
            if let voice = options.voice { output.append(("voice", .string(voice))) }
            session = [
                ("type", "realtime"),
                ("output_modalities", .array(options.outputModalities.map(JSONValue.string))),
                ("audio", .object([
                    ("input", .object([("format", format), ("turn_detection", turnDetection), ("transcription", transcription)])),
                    ("output", .object(output)),
                ])),
            ]
        case .beta:
            let modalities = options.outputModalities.contains("audio") ? ["text", "audio"] : ["text"]
            session = [
                ("modalities", .array(modalities.map(JSONValue.string))),
                ("input_audio_format", "pcm16"), ("output_audio_format", "pcm16"),
                ("turn_detection", turnDetection), ("input_audio_transcription", transcription),
            ]
            if let voice = options.voice { session.append(("voice", .string(voice))) }
        }
        if let instructions = options.instructions { session.append(("instructions", .string(instructions))) }
        return JSONWriter.string(.object([("type", "session.update"), ("session", .object(session))]))
    }

    /// A user text item (or, for `role: "system"`, background context).
    public static func textItem(_ text: String, role: String = "user") -> String {
        JSONWriter.string(.object([
            ("type", "conversation.item.create"),
            ("item", .object([
                ("type", "message"), ("role", .string(role)),
                ("content", .array([.object([("type", "input_text"), ("text", .string(text))])])),
            ])),
        ]))
    }

    public static func functionCallOutput(callId: String, output: String) -> String {
        JSONWriter.string(.object([
            ("type", "conversation.item.create"),
            ("item", .object([("type", "function_call_output"), ("call_id", .string(callId)), ("output", .string(output))])),
        ]))
    }

    public static func responseCreate() -> String { #"{"type":"response.create"}"# }

    public static func responseCancel() -> String { #"{"type":"response.cancel"}"# }

    public static func commit() -> String { #"{"type":"input_audio_buffer.commit"}"# }

    public static func append(_ pcm: [UInt8]) -> String {
        JSONWriter.string(.object([("type", "input_audio_buffer.append"), ("audio", .string(Base64.encode(pcm)))]))
    }

    public static func truncate(itemId: String, audioEndMs: Int) -> String {
        JSONWriter.string(.object([
            ("type", "conversation.item.truncate"), ("item_id", .string(itemId)), ("content_index", 0),
            ("audio_end_ms", .int(audioEndMs)),
        ]))
    }
}
