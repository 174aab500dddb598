/// The JSON form of events: one object per log line, `{"t":…,"run":…,"type":…, payload…}`.
extension SessionEvent {
    /// The payload members (everything but `t`, `run` and `type`).
    public var payload: [(String, JSONValue)] {
        switch kind {
        case .runStarted(let backend): [("backend", .string(backend))]
        case .connected(let id): [("conversation_id", .string(id))]
        case .stopRequested, .userSpeechStarted, .userSpeechStopped, .agentThinking, .agentAudioDone: []
        case .ended(let reason): [("reason", .string(reason))]
        case .failed(let error): [("error", .string(error))]
        case .userTranscript(let text, let isFinal): [("text", .string(text)), ("final", .bool(isFinal))]
        case .userMessage(let text), .contextualUpdate(let text): [("text", .string(text))]
        case .userAudio(let bytes, let ms), .agentAudio(nil, let bytes, let ms): [("bytes", .int(bytes)), ("ms", .int(ms))]
        case .agentAudio(let id?, let bytes, let ms): [("event_id", .int(id)), ("bytes", .int(bytes)), ("ms", .int(ms))]
        case .toolResult(let id, let result, let isError):
            [("call_id", .string(id)), ("result", .string(result)), ("is_error", .bool(isError))]
        case .agentTextDelta(let id, let text): [("response_id", .string(id)), ("text", .string(text))]
        case .agentTextDone(let id, let text): [("response_id", .string(id)), ("text", .optional(text))]
        case .agentCorrection(let original, let corrected): [("original", .string(original)), ("corrected", .string(corrected))]
        case .interruption(let id): [("event_id", id.map(JSONValue.int) ?? .null)]
        case .toolCall(let id, let name, let arguments):
            [("call_id", .string(id)), ("name", .string(name)), ("arguments", .string(arguments))]
        case .ping(let id, let latency): [("event_id", id.map(JSONValue.int) ?? .null), ("latency_ms", latency.map(JSONValue.int) ?? .null)]
        case .vadScore(let score): [("score", .number(score))]
        case .serverError(let code, let message): [("code", .string(code)), ("message", .string(message))]
        case .rateLimits(let summary): [("summary", .string(summary))]
        case .usage(let input, let output): [("input_tokens", .int(input)), ("output_tokens", .int(output))]
        case .unknown(let type): [("event_type", .string(type))]
        case .malformed(let detail): [("detail", .string(detail))]
        }
    }

    /// Appends the log line for this event (without the newline) to `out`, optionally with
    /// other members before it (headless output names the session).
    public func writeLogLine(into out: inout [UInt8], prefixedBy leading: [(String, JSONValue)] = []) {
        out.append(UInt8(ascii: "{"))
        for (key, value) in leading {
            JSONWriter.writeString(key, into: &out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.write(value, into: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: #""t":"#.utf8)
        SessionEvent.writeSeconds(offset, into: &out)
        out.append(contentsOf: #","run":"#.utf8)
        JSONWriter.writeInteger(Int64(run), into: &out)
        out.append(contentsOf: #","type":"#.utf8)
        JSONWriter.writeString(kind.typeName, into: &out)
        for (key, value) in payload {
            out.append(UInt8(ascii: ","))
            JSONWriter.writeString(key, into: &out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.write(value, into: &out)
        }
        out.append(UInt8(ascii: "}"))
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
        case "user_message": self = .userMessage(text: try text("text"))
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
        case "tool_call": self = .toolCall(callId: try text("call_id"), name: try text("name"), arguments: try text("arguments"))
        case "ping": self = .ping(eventId: try optionalInt("event_id"), latencyMs: try optionalInt("latency_ms"))
        case "vad_score":
            guard let score = json["score"]?.doubleValue else { throw EventDecodingError("vad_score: \"score\" is missing") }
            self = .vadScore(score)
        case "server_error": self = .serverError(code: try text("code"), message: try text("message"))
        case "rate_limits": self = .rateLimits(summary: try text("summary"))
        case "usage": self = .usage(inputTokens: try int("input_tokens"), outputTokens: try int("output_tokens"))
        case "unknown_event": self = .unknown(type: try text("event_type"))
        case "malformed_event": self = .malformed(detail: try text("detail"))
        default: throw EventDecodingError("unknown event type \"\(TextSanitizer.sanitize(type))\"")
        }
    }
}
