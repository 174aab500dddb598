/// The JSON form of events: one object per log line, `{"t":…,"run":…,"type":…, payload…}`.
extension SessionEvent {
    /// Appends the log line for this event (without the newline) to `out`; a headless line
    /// names its session first (`"session":3,"name":"ava",`).
    public func writeLogLine(into out: inout [UInt8], session: (number: Int, name: String)? = nil) {
        out.append(UInt8(ascii: "{"))
        if let session {
            out.append(contentsOf: #""session":"#.utf8)
            JSONWriter.writeInteger(Int64(session.number), into: &out)
            out.append(contentsOf: #","name":"#.utf8)
            JSONWriter.writeString(session.name, into: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: #""t":"#.utf8)
        SessionEvent.writeSeconds(offset, into: &out)
        out.append(contentsOf: #","run":"#.utf8)
        JSONWriter.writeInteger(Int64(run), into: &out)
        out.append(contentsOf: #","type":"#.utf8)
        JSONWriter.writeString(kind.typeName, into: &out)
        writePayload(into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// The payload members (everything but `t`, `run` and `type`), each after a comma. Written
    /// member by member: a list of them per event cost an allocation on every headless line.
    private func writePayload(into out: inout [UInt8]) {
        func member(_ key: StaticString, _ value: JSONValue) {
            out.append(UInt8(ascii: ","))
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
            JSONWriter.write(value, into: &out)
        }
        switch kind {
        case .runStarted(let backend): member("backend", .string(backend))
        case .connected(let id): member("conversation_id", .string(id))
        case .stopRequested, .userSpeechStarted, .userSpeechStopped, .agentThinking, .agentAudioDone: break
        case .ended(let reason): member("reason", .string(reason))
        case .failed(let error): member("error", .string(error))
        case .userTranscript(let text, let isFinal):
            member("text", .string(text))
            member("final", .bool(isFinal))
        case .userMessage(let text, let origin):
            member("text", .string(text))
            // Only the operator's carry `origin`: a caller's line reads as it did before the member existed.
            if origin == .operator { member("origin", .string(origin.rawValue)) }
        case .contextualUpdate(let text): member("text", .string(text))
        case .userAudio(let bytes, let ms), .agentAudio(nil, let bytes, let ms):
            member("bytes", .int(bytes))
            member("ms", .int(ms))
        case .agentAudio(let id?, let bytes, let ms):
            member("event_id", .int(id))
            member("bytes", .int(bytes))
            member("ms", .int(ms))
        case .toolResult(let id, let result, let isError):
            member("call_id", .string(id))
            member("result", .string(result))
            member("is_error", .bool(isError))
        case .agentTextDelta(let id, let text):
            member("response_id", .string(id))
            member("text", .string(text))
        case .agentTextDone(let id, let text):
            member("response_id", .string(id))
            member("text", .optional(text))
        case .agentCorrection(let original, let corrected):
            member("original", .string(original))
            member("corrected", .string(corrected))
        case .interruption(let id): member("event_id", id.map(JSONValue.int) ?? .null)
        case .toolCall(let id, let name, let arguments):
            // `tool`, not `name`: a headless record's `name` is its session's.
            member("call_id", .string(id))
            member("tool", .string(name))
            member("arguments", .string(arguments))
        case .mcpToolCall(let id, let name, let state, let detail):
            member("call_id", .string(id))
            member("tool", .string(name))
            member("state", .string(state))
            member("detail", .string(detail))
        case .toolApproval(let id, let approved):
            member("call_id", .string(id))
            member("approved", .bool(approved))
        case .feedback(let id, let like):
            member("event_id", id.map(JSONValue.int) ?? .null)
            member("like", .bool(like))
        case .ping(let id, let latency):
            member("event_id", id.map(JSONValue.int) ?? .null)
            member("latency_ms", latency.map(JSONValue.int) ?? .null)
        case .vadScore(let score): member("score", .number(score))
        case .serverError(let code, let message):
            member("code", .string(code))
            member("message", .string(message))
        case .rateLimits(let summary): member("summary", .string(summary))
        case .usage(let input, let output):
            member("input_tokens", .int(input))
            member("output_tokens", .int(output))
        case .unknown(let type): member("event_type", .string(type))
        case .malformed(let detail): member("detail", .string(detail))
        case .recordingStopped(let reason): member("reason", .string(reason))
        case .recordingResumed(let lost): member("lost_lines", .int(lost))
        case .turnMetrics(let turn): turn.writeMembers(into: &out)
        case .alert(let rule, let raised, let reason):
            member("rule", .string(rule))
            member("state", .string(raised ? "raised" : "cleared"))
            member("reason", .string(reason))
        case .mark(let note): member("note", .string(note))
        }
    }

    /// Microseconds as exact decimal seconds, `12.000345`.
    static func writeSeconds(_ micros: Int64, into out: inout [UInt8]) {
        if micros < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = micros.magnitude
        JSONWriter.writeInteger(Int64(magnitude / 1_000_000), into: &out)
        out.append(UInt8(ascii: "."))
        var fraction = magnitude % 1_000_000
        var divisor: UInt64 = 100_000
        for _ in 0..<6 {
            out.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }

    /// Seconds (as written by `writeSeconds`) back to microseconds.
    static func micros(fromSeconds seconds: Double) -> Int64 {
        Int64((seconds * 1_000_000).rounded())
    }

    /// Reads one event object. Text is sanitized again (logs are outside input too); that is a
    /// no-op for text this engine wrote.
    public init(json: JSONValue) throws(EventDecodingError) {
        guard case .object = json else { throw EventDecodingError("not a JSON object") }
        guard let t = json["t"]?.doubleValue, t.isFinite, t >= 0, t < 1e12 else {
            throw EventDecodingError("\"t\" is missing or not a non-negative number")
        }
        guard let run = json["run"]?.intValue, run >= 1 else { throw EventDecodingError("\"run\" is missing or not a positive integer") }
        guard let type = json["type"]?.stringValue else { throw EventDecodingError("\"type\" is missing") }
        self.init(offset: Self.micros(fromSeconds: t), run: run, kind: try Kind(type: type, json: json))
    }
}

/// Why a JSON object is not an event.
public struct EventDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension SessionEvent.Kind {
    init(type: String, json: JSONValue) throws(EventDecodingError) {
        func text(_ key: String) throws(EventDecodingError) -> String {
            guard let value = json[key]?.stringValue else { throw EventDecodingError("\(type): \"\(key)\" is missing or not a string") }
            return TextSanitizer.sanitize(value)
        }
        func optionalText(_ key: String) throws(EventDecodingError) -> String? {
            guard let value = json[key], !value.isNull else { return nil }
            return try text(key)
        }
        func int(_ key: String) throws(EventDecodingError) -> Int {
            guard let value = json[key]?.intValue else { throw EventDecodingError("\(type): \"\(key)\" is missing or not an integer") }
            return value
        }
        func optionalInt(_ key: String) throws(EventDecodingError) -> Int? {
            guard let value = json[key], !value.isNull else { return nil }
            return try int(key)
        }
        func bool(_ key: String) throws(EventDecodingError) -> Bool {
            guard let value = json[key]?.boolValue else { throw EventDecodingError("\(type): \"\(key)\" is missing or not a boolean") }
            return value
        }
        switch type {
        case "run_started": self = .runStarted(backend: try text("backend"))
        case "connected": self = .connected(conversationId: try text("conversation_id"))
        case "stop_requested": self = .stopRequested
        case "ended": self = .ended(reason: try text("reason"))
        case "failed": self = .failed(error: try text("error"))
        case "user_speech_started": self = .userSpeechStarted
        case "user_speech_stopped": self = .userSpeechStopped
        case "user_transcript": self = .userTranscript(text: try text("text"), isFinal: try bool("final"))
        case "user_message":
            let origin = try optionalText("origin").map { name throws(EventDecodingError) -> MessageOrigin in
                guard let origin = MessageOrigin(rawValue: name) else { throw EventDecodingError("user_message: \"origin\" is not caller or operator") }
                return origin
            }
            self = .userMessage(text: try text("text"), origin: origin ?? .caller)
        case "contextual_update": self = .contextualUpdate(text: try text("text"))
        case "user_audio": self = .userAudio(bytes: try int("bytes"), durationMs: try int("ms"))
        case "tool_result":
            self = .toolResult(callId: try text("call_id"), result: try text("result"), isError: try bool("is_error"))
        case "agent_thinking": self = .agentThinking
        case "agent_text_delta": self = .agentTextDelta(responseId: try text("response_id"), text: try text("text"))
        case "agent_text_done": self = .agentTextDone(responseId: try text("response_id"), text: try optionalText("text"))
        case "agent_correction": self = .agentCorrection(original: try text("original"), corrected: try text("corrected"))
        case "agent_audio": self = .agentAudio(eventId: try optionalInt("event_id"), bytes: try int("bytes"), durationMs: try int("ms"))
        case "agent_audio_done": self = .agentAudioDone
        case "interruption": self = .interruption(eventId: try optionalInt("event_id"))
        case "tool_call":
            // Logs written before the field was renamed call it `name`.
            let name: String
            if let tool = try optionalText("tool") { name = tool } else { name = try text("name") }
            self = .toolCall(callId: try text("call_id"), name: name, arguments: try text("arguments"))
        case "mcp_tool_call":
            self = .mcpToolCall(callId: try text("call_id"), name: try text("tool"), state: try text("state"), detail: try text("detail"))
        case "tool_approval": self = .toolApproval(callId: try text("call_id"), approved: try bool("approved"))
        case "feedback": self = .feedback(eventId: try optionalInt("event_id"), like: try bool("like"))
        case "ping": self = .ping(eventId: try optionalInt("event_id"), latencyMs: try optionalInt("latency_ms"))
        case "vad_score":
            guard let score = json["score"]?.doubleValue else { throw EventDecodingError("vad_score: \"score\" is missing") }
            self = .vadScore(score)
        case "server_error": self = .serverError(code: try text("code"), message: try text("message"))
        case "rate_limits": self = .rateLimits(summary: try text("summary"))
        case "usage": self = .usage(inputTokens: try int("input_tokens"), outputTokens: try int("output_tokens"))
        case "unknown_event": self = .unknown(type: try text("event_type"))
        case "malformed_event": self = .malformed(detail: try text("detail"))
        case "recording_stopped": self = .recordingStopped(reason: try text("reason"))
        case "recording_resumed": self = .recordingResumed(lostLines: try int("lost_lines"))
        case "turn_metrics": self = .turnMetrics(try TurnMetrics(json: json))
        case "alert":
            let state = try text("state")
            guard state == "raised" || state == "cleared" else { throw EventDecodingError("alert: \"state\" is not raised or cleared") }
            self = .alert(rule: try text("rule"), raised: state == "raised", reason: try text("reason"))
        case "mark": self = .mark(note: try text("note"))
        default: throw EventDecodingError("unknown event type \"\(TextSanitizer.sanitize(type))\"")
        }
    }
}
