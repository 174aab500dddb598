/// OpenAI Realtime frames ⇄ values, in either dialect, with no state and no socket.
public enum OpenAIRealtimeCodec {
    // MARK: Server → client

    /// Events that are known and deliberately not shown: the explicit ignore list that
    /// `OpenAIConformanceTests` checks against every event the official SDK declares.
    static let ignoredTypes: Set<String> = [
        // Item and content-part bookkeeping: the deltas and `response.done` carry what is shown.
        "input_audio_buffer.committed", "input_audio_buffer.cleared", "conversation.created",
        "conversation.item.created", "conversation.item.added", "conversation.item.done", "conversation.item.truncated",
        "conversation.item.deleted", "conversation.item.retrieved", "response.output_item.done",
        "response.content_part.added", "response.content_part.done", "response.function_call_arguments.delta",
        "input_audio_buffer.timeout_triggered",
        // WebRTC and SIP only; never sent over a WebSocket.
        "output_audio_buffer.started", "output_audio_buffer.stopped", "output_audio_buffer.cleared",
        "input_audio_buffer.dtmf_event_received",
        // Diarized transcription segments: the completed transcript is shown instead.
        "conversation.item.input_audio_transcription.segment",
        // Remote MCP tools run on OpenAI's side; their results reach the response itself.
        "mcp_list_tools.in_progress", "mcp_list_tools.completed", "mcp_list_tools.failed",
        "response.mcp_call.in_progress", "response.mcp_call.completed", "response.mcp_call.failed",
        "response.mcp_call_arguments.delta", "response.mcp_call_arguments.done",
    ]

    /// Decodes one server frame, whichever dialect named it. A known type of the wrong shape
    /// is an error (see ``WirePayload``).
    public static func decode(_ text: String) throws(WireDecodeError) -> OpenAIRealtimeMessage {
        let parsed = try WireDecodeError.parse(text)
        guard let type = parsed["type"]?.stringValue else { throw WireDecodeError("frame without a type", frame: text) }
        let frame = WirePayload(frame: parsed, text: text)
        // An id beside the content, sanitized; absent or not a string reads as empty.
        func id(_ value: JSONValue?) -> String { TextSanitizer.sanitize(value?.stringValue ?? "") }
        switch type {
        case "session.created":
            return .sessionCreated(id: try frame.object("session", required: true).text("id"))
        case "session.updated", "transcription_session.updated":
            return .sessionUpdated
        case "input_audio_buffer.speech_started":
            return .speechStarted(itemId: frame["item_id"]?.stringValue, audioStartMs: frame.integer("audio_start_ms"))
        case "input_audio_buffer.speech_stopped":
            return .speechStopped
        case "conversation.item.input_audio_transcription.delta":
            // The SDK types make `delta` optional: an absent one adds nothing.
            return .inputTranscriptDelta(itemId: id(frame["item_id"]), delta: try frame.optionalText("delta") ?? "")
        case "conversation.item.input_audio_transcription.completed":
            return .inputTranscriptCompleted(itemId: id(frame["item_id"]), transcript: try frame.text("transcript"))
        case "conversation.item.input_audio_transcription.failed":
            return .inputTranscriptFailed(message: try frame.object("error").optionalText("message") ?? "transcription failed")
        case "response.created":
            return .responseCreated(id: id(try frame.object("response")["id"]))
        case "response.output_text.delta", "response.text.delta", "response.output_audio_transcript.delta",
            "response.audio_transcript.delta":
            return .textDelta(responseId: id(frame["response_id"]), delta: try frame.text("delta"))
        case "response.output_text.done", "response.text.done":
            return .textDone(responseId: id(frame["response_id"]), text: try frame.optionalText("text"))
        case "response.output_audio_transcript.done", "response.audio_transcript.done":
            return .textDone(responseId: id(frame["response_id"]), text: try frame.optionalText("transcript"))
        case "response.output_audio.delta", "response.audio.delta":
            return .audioDelta(responseId: id(frame["response_id"]), itemId: id(frame["item_id"]), base64: try frame.raw("delta"))
        case "response.output_audio.done", "response.audio.done":
            return .audioDone
        case "response.function_call_arguments.done":
            // Beta names the function only in the item (`response.output_item.added`).
            return .functionCall(
                callId: try frame.text("call_id"), name: try frame.optionalText("name"), arguments: try frame.optionalText("arguments") ?? "")
        case "response.output_item.added":
            let item = try frame.object("item")
            // Other items (messages) are bookkeeping: their deltas carry what is shown.
            guard try item.optionalRaw("type") == "function_call" else { return .ignored(type: type) }
            return .functionCallStarted(callId: try item.text("call_id"), name: try item.text("name"))
        case "response.done":
            let response = try frame.object("response", required: true)
            let usage = try response.object("usage")
            // Why a response failed or stopped short: `status_details.error` (e.g. `insufficient_quota`)
            // or `status_details.reason` (`max_output_tokens`, `turn_detected`, …).
            let details = try response.object("status_details")
            let failure = try details.object("error")
            let (code, kind, stopped) = (try failure.optionalText("code"), try failure.optionalText("type"), try details.optionalText("reason"))
            return .responseDone(
                id: id(response["id"]), status: try response.optionalText("status") ?? "completed",
                inputTokens: try usage.count("input_tokens"), outputTokens: try usage.count("output_tokens"),
                reason: code ?? kind ?? stopped, detail: try failure.optionalText("message"))
        case "rate_limits.updated":
            let parts = try frame.objects("rate_limits").map { limit -> String in
                let name = limit["name"]?.stringValue ?? "?"
                let remaining = limit.integer("remaining").map(String.init) ?? "?"
                let total = limit.integer("limit").map(String.init) ?? "?"
                return "\(name) \(remaining)/\(total)"
            }
            return .rateLimits(summary: TextSanitizer.sanitize(parts.joined(separator: ", ")))
        case "error":
            let error = try frame.object("error", required: true)
            let code = error["code"]?.stringValue ?? error["type"]?.stringValue ?? "error"
            return .error(
                code: TextSanitizer.sanitize(code), message: try error.optionalText("message") ?? "",
                eventId: error["event_id"]?.stringValue)
        default:
            return ignoredTypes.contains(type) ? .ignored(type: type) : .unknown(type: TextSanitizer.sanitize(type))
        }
    }

    // MARK: Client → server

    /// `session.update` built from the options, in the options' dialect.
    public static func sessionUpdate(_ options: OpenAIRealtimeOptions, eventId: String? = nil) -> String {
        let turnDetection: JSONValue = options.serverVAD
            ? .object([("type", "server_vad"), ("interrupt_response", .bool(options.interruptResponse))]) : .null
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
        return event("session.update", eventId, [("session", .object(session))])
    }

    /// A user text item (or, for `role: "system"`, background context).
    public static func textItem(_ text: String, role: String = "user", eventId: String? = nil) -> String {
        event("conversation.item.create", eventId, [
            ("item", .object([
                ("type", "message"), ("role", .string(role)),
                ("content", .array([.object([("type", "input_text"), ("text", .string(text))])])),
            ])),
        ])
    }

    public static func functionCallOutput(callId: String, output: String, eventId: String? = nil) -> String {
        event("conversation.item.create", eventId, [
            ("item", .object([("type", "function_call_output"), ("call_id", .string(callId)), ("output", .string(output))])),
        ])
    }

    public static func responseCreate(eventId: String? = nil) -> String { event("response.create", eventId, []) }

    /// Cancels `responseId` (the server's current response when nil).
    public static func responseCancel(responseId: String? = nil, eventId: String? = nil) -> String {
        event("response.cancel", eventId, responseId.map { [("response_id", .string($0))] } ?? [])
    }

    public static func commit(eventId: String? = nil) -> String { event("input_audio_buffer.commit", eventId, []) }

    public static func append(_ pcm: [UInt8], eventId: String? = nil) -> String {
        event("input_audio_buffer.append", eventId, [("audio", .string(Base64.encode(pcm)))])
    }

    public static func truncate(itemId: String, audioEndMs: Int, eventId: String? = nil) -> String {
        event("conversation.item.truncate", eventId, [
            ("item_id", .string(itemId)), ("content_index", 0), ("audio_end_ms", .int(audioEndMs)),
        ])
    }

    /// A client event: its type, its `event_id` (echoed in any `error` it causes), its fields.
    private static func event(_ type: String, _ eventId: String?, _ fields: [(String, JSONValue)]) -> String {
        var members: [(String, JSONValue)] = [("type", .string(type))]
        if let eventId { members.append(("event_id", .string(eventId))) }
        return JSONWriter.string(.object(members + fields))
    }
}
