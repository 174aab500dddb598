/// Decodes an event line of exactly the shape ``SessionLogWriter`` writes without
/// building JSON values, for the replay cursor, which decodes every event it folds.
///
/// The general path parses the line into a ``JSONValue`` tree and looks members up by name:
/// profiling a fold showed that at about two thirds of its time. Here the members after
/// `type` must be the ones the writer puts there for that type, in its order, with strings
/// free of escapes, integers plain and no whitespace. Any other line gives nil and goes
/// through the general decoder, so the event is always the one that decoder gives.
enum WriterLineDecoder {
    /// The event on `line`, whose prefix ``EventLineClassifier/prefix(_:)`` read as `prefix`.
    static func decode(_ line: UnsafeRawBufferPointer, prefix: EventLineClassifier.Prefix) -> SessionEvent? {
        // Beyond this the general decoder's conversion through Double could round differently.
        guard prefix.seconds < 10_000_000 else { return nil }
        var members = Members(line: line, index: prefix.payloadStart)
        let type = String(decoding: UnsafeRawBufferPointer(rebasing: line[prefix.type]), as: UTF8.self)
        guard let kind = members.kind(type: type), members.atEnd else { return nil }
        return SessionEvent(offset: prefix.offset, run: prefix.run, kind: kind)
    }

    private struct Members {
        let line: UnsafeRawBufferPointer
        var index: Int

        var atEnd: Bool { index == line.count - 1 && line[index] == UInt8(ascii: "}") }

        mutating func kind(type: String) -> SessionEvent.Kind? {
            switch type {
            case "run_started": return string("backend").map { .runStarted(backend: $0) }
            case "connected": return string("conversation_id").map { .connected(conversationId: $0) }
            case "stop_requested": return .stopRequested
            case "ended": return string("reason").map { .ended(reason: $0) }
            case "failed": return string("error").map { .failed(error: $0) }
            case "user_speech_started": return .userSpeechStarted
            case "user_speech_stopped": return .userSpeechStopped
            case "user_transcript":
                guard let text = string("text"), let isFinal = bool("final") else { return nil }
                return .userTranscript(text: text, isFinal: isFinal)
            case "user_message":
                guard let text = string("text") else { return nil }
                guard peek("origin") else { return .userMessage(text: text) }
                guard let name = string("origin"), let origin = MessageOrigin(rawValue: name) else { return nil }
                return .userMessage(text: text, origin: origin)
            case "contextual_update": return string("text").map { .contextualUpdate(text: $0) }
            case "user_audio":
                guard let bytes = int("bytes"), let ms = int("ms") else { return nil }
                return .userAudio(bytes: bytes, durationMs: ms)
            case "tool_result":
                guard let id = string("call_id"), let result = string("result"), let isError = bool("is_error") else { return nil }
                return .toolResult(callId: id, result: result, isError: isError)
            case "agent_thinking": return .agentThinking
            case "agent_text_delta":
                guard let id = string("response_id"), let text = string("text") else { return nil }
                return .agentTextDelta(responseId: id, text: text)
            case "agent_text_done":
                guard let id = string("response_id"), let text = optionalString("text") else { return nil }
                return .agentTextDone(responseId: id, text: text)
            case "agent_correction":
                guard let original = string("original"), let corrected = string("corrected") else { return nil }
                return .agentCorrection(original: original, corrected: corrected)
            case "agent_audio":
                // The writer leaves `event_id` out when there is none.
                var id: Int?
                if peek("event_id") {
                    guard let value = int("event_id") else { return nil }
                    id = value
                }
                guard let bytes = int("bytes"), let ms = int("ms") else { return nil }
                return .agentAudio(eventId: id, bytes: bytes, durationMs: ms)
            case "agent_audio_done": return .agentAudioDone
            case "interruption": return optionalInt("event_id").map { .interruption(eventId: $0) }
            case "tool_call":
                guard let id = string("call_id"), let name = string("tool"), let arguments = string("arguments") else { return nil }
                return .toolCall(callId: id, name: name, arguments: arguments)
            case "mcp_tool_call":
                guard let id = string("call_id"), let name = string("tool"), let state = string("state"), let detail = string("detail")
                else { return nil }
                return .mcpToolCall(callId: id, name: name, state: state, detail: detail)
            case "tool_approval":
                guard let id = string("call_id"), let approved = bool("approved") else { return nil }
                return .toolApproval(callId: id, approved: approved)
            case "feedback":
                guard let id = optionalInt("event_id"), let like = bool("like") else { return nil }
                return .feedback(eventId: id, like: like)
            case "ping":
                guard let id = optionalInt("event_id"), let latency = optionalInt("latency_ms") else { return nil }
                return .ping(eventId: id, latencyMs: latency)
            case "vad_score": return double("score").map { .vadScore($0) }
            case "server_error":
                guard let code = string("code"), let message = string("message") else { return nil }
                return .serverError(code: code, message: message)
            case "rate_limits": return string("summary").map { .rateLimits(summary: $0) }
            case "usage":
                guard let input = int("input_tokens"), let output = int("output_tokens") else { return nil }
                return .usage(inputTokens: input, outputTokens: output)
            case "unknown_event": return string("event_type").map { .unknown(type: $0) }
            case "malformed_event": return string("detail").map { .malformed(detail: $0) }
            case "recording_stopped": return string("reason").map { .recordingStopped(reason: $0) }
            case "recording_resumed": return int("lost_lines").map { .recordingResumed(lostLines: $0) }
            case "alert":
                guard let rule = string("rule"), let state = string("state"), state == "raised" || state == "cleared",
                    let reason = string("reason")
                else { return nil }
                return .alert(rule: rule, raised: state == "raised", reason: reason)
            case "mark": return string("note").map { .mark(note: $0) }
            case "turn_metrics": return turnMetrics().map { .turnMetrics($0) }
            default: return nil
            }
        }

        /// The members of a `turn_metrics` line, every one present (but `talk_over_ms`, newer),
        /// in the writer's order.
        mutating func turnMetrics() -> TurnMetrics? {
            guard let turn = int("turn"), let mode = string("mode").flatMap(TurnMetrics.Mode.init(rawValue:)),
                let voiceToVoice = optionalInt("voice_to_voice_ms"), let endpointing = optionalInt("endpointing_ms"),
                let transcript = optionalInt("transcript_ms"), let responseToText = optionalInt("response_to_text_ms"),
                let responseToAudio = optionalInt("response_to_audio_ms"), let firstText = optionalInt("first_text_ms"),
                let firstAudio = optionalInt("first_audio_ms"), let done = optionalInt("done_ms"), let agentAudio = int("agent_audio_ms"),
                let interrupted = bool("interrupted"), let heard = optionalInt("heard_ms"), let tools = intArray("tool_ms"),
                let ping = optionalInt("ping_ms"),
                // Written since talk-over was measured; older version 2 logs end at ping_ms.
                let talkOver = peek("talk_over_ms") ? optionalInt("talk_over_ms") : .some(nil)
            else { return nil }
            return TurnMetrics(
                turn: turn, mode: mode, voiceToVoiceMs: voiceToVoice, endpointingMs: endpointing, transcriptMs: transcript,
                responseToTextMs: responseToText, responseToAudioMs: responseToAudio, firstTextMs: firstText, firstAudioMs: firstAudio,
                doneMs: done, agentAudioMs: agentAudio, interrupted: interrupted, heardMs: heard, toolMs: tools, pingMs: ping,
                talkOverMs: talkOver)
        }

        /// Whether `,"name":` comes next (without reading it).
        func peek(_ name: StaticString) -> Bool {
            var probe = self
            return probe.key(name)
        }

        /// Reads `,"name":`.
        mutating func key(_ name: StaticString) -> Bool {
            let count = name.utf8CodeUnitCount
            guard index + count + 4 <= line.count, line[index] == UInt8(ascii: ","), line[index + 1] == UInt8(ascii: "\"") else {
                return false
            }
            let start = name.utf8Start
            for i in 0..<count where line[index + 2 + i] != start[i] { return false }
            guard line[index + 2 + count] == UInt8(ascii: "\""), line[index + 3 + count] == UInt8(ascii: ":") else { return false }
            index += count + 4
            return true
        }

        /// A string member without escapes, sanitized as the general decoder sanitizes text.
        mutating func string(_ name: StaticString) -> String? {
            guard key(name) else { return nil }
            return stringValue()
        }

        mutating func optionalString(_ name: StaticString) -> String?? {
            guard key(name) else { return nil }
            if literal("null") { return .some(nil) }
            return stringValue().map { .some($0) }
        }

        private mutating func stringValue() -> String? {
            guard index < line.count, line[index] == UInt8(ascii: "\"") else { return nil }
            let start = index + 1
            var i = start
            while i < line.count {
                let byte = line[i]
                if byte == UInt8(ascii: "\"") {
                    index = i + 1
                    return TextSanitizer.sanitize(String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<i]), as: UTF8.self))
                }
                guard byte != UInt8(ascii: "\\"), byte >= 0x20 else { return nil }
                i += 1
            }
            return nil
        }

        /// An integer as JSON writes it (no leading zeros, fraction or exponent), of at most 15
        /// digits, which the general decoder reads exactly too.
        mutating func int(_ name: StaticString) -> Int? {
            guard key(name) else { return nil }
            return intValue()
        }

        mutating func optionalInt(_ name: StaticString) -> Int?? {
            guard key(name) else { return nil }
            if literal("null") { return .some(nil) }
            return intValue().map { .some($0) }
        }

        private mutating func intValue() -> Int? {
            var i = index
            let negative = i < line.count && line[i] == UInt8(ascii: "-")
            if negative { i += 1 }
            let first = i
            var value = 0
            while i < line.count, line[i] >= 0x30, line[i] <= 0x39 {
                value = value * 10 + Int(line[i] - 0x30)
                i += 1
            }
            let digits = i - first
            guard digits >= 1, digits <= 15, digits == 1 || line[first] != 0x30, i < line.count,
                line[i] == UInt8(ascii: ",") || line[i] == UInt8(ascii: "}") || line[i] == UInt8(ascii: "]")
            else { return nil }
            index = i
            return negative ? -value : value
        }

        /// An array of integers, `[]` or `[1,2]`.
        mutating func intArray(_ name: StaticString) -> [Int]? {
            guard key(name), literal("[") else { return nil }
            var values: [Int] = []
            if literal("]") { return values }
            while let value = intValue() {
                values.append(value)
                if literal("]") { return values }
                guard literal(",") else { return nil }
            }
            return nil
        }

        mutating func bool(_ name: StaticString) -> Bool? {
            guard key(name) else { return nil }
            if literal("true") { return true }
            if literal("false") { return false }
            return nil
        }

        /// A decimal without exponent, converted as the general parser converts it.
        mutating func double(_ name: StaticString) -> Double? {
            guard key(name) else { return nil }
            var i = index
            if i < line.count, line[i] == UInt8(ascii: "-") { i += 1 }
            let first = i
            while i < line.count, line[i] >= 0x30, line[i] <= 0x39 { i += 1 }
            guard i > first, i - first == 1 || line[first] != 0x30 else { return nil }
            if i < line.count, line[i] == UInt8(ascii: ".") {
                i += 1
                let fraction = i
                while i < line.count, line[i] >= 0x30, line[i] <= 0x39 { i += 1 }
                guard i > fraction else { return nil }
            }
            guard i < line.count, line[i] == UInt8(ascii: ",") || line[i] == UInt8(ascii: "}") else { return nil }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: line[index..<i]), as: UTF8.self)
            guard let value = Double(text) else { return nil }
            index = i
            return value
        }

        private mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard index + count <= line.count else { return false }
            for i in 0..<count where line[index + i] != word.utf8Start[i] { return false }
            index += count
            return true
        }
    }
}
