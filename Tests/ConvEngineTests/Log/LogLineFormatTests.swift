@testable import ConvEngine
import Testing

/// Log and headless lines are a published format: writing them faster must not change a byte.
@Suite struct LogLineFormatTests {
    /// Seconds as the writer spelled them with string interpolation.
    private static func referenceSeconds(_ micros: Int64) -> String {
        let sign = micros < 0 ? "-" : ""
        let magnitude = micros.magnitude
        let fraction = String(magnitude % 1_000_000)
        return "\(sign)\(magnitude / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    @Test func secondsAreSpelledAsBefore() {
        var values: [Int64] = [0, 1, 9, 10, 999_999, 1_000_000, 1_000_001, 12_000_345, -1, -1_000_000, -12_000_345, Int64.max, Int64.min]
        for _ in 0..<1000 { values.append(Int64.random(in: 0...100_000_000_000)) }
        for value in values {
            var out: [UInt8] = []
            SessionEvent.writeSeconds(value, into: &out)
            #expect(String(decoding: out, as: UTF8.self) == Self.referenceSeconds(value))
        }
    }

    @Test func linesAreByteForByteTheDocumentedForm() {
        let cases: [(SessionEvent, String)] = [
            (
                SessionEvent(offset: 1_000_250, run: 2, kind: .agentTextDone(responseId: "el_7", text: "say \"hi\"\n")),
                #"{"t":1.000250,"run":2,"type":"agent_text_done","response_id":"el_7","text":"say \"hi\"\n"}"#
            ),
            (
                SessionEvent(offset: 12, run: 13, kind: .ping(eventId: 4, latencyMs: nil)),
                #"{"t":0.000012,"run":13,"type":"ping","event_id":4,"latency_ms":null}"#
            ),
            (
                SessionEvent(offset: 3_600_000_000, run: 1, kind: .ping(eventId: -5, latencyMs: 120)),
                #"{"t":3600.000000,"run":1,"type":"ping","event_id":-5,"latency_ms":120}"#
            ),
            (SessionEvent(offset: 0, run: 1, kind: .vadScore(0.92)), #"{"t":0.000000,"run":1,"type":"vad_score","score":0.92}"#),
        ]
        for (event, expected) in cases {
            var out: [UInt8] = []
            event.writeLogLine(into: &out)
            #expect(String(decoding: out, as: UTF8.self) == expected)
        }
        var headless: [UInt8] = []
        cases[0].0.writeLogLine(into: &headless, session: (3, "ava \u{1B}"))
        #expect(
            String(decoding: headless, as: UTF8.self)
                == #"{"session":3,"name":"ava \u001b","t":1.000250,"run":2,"type":"agent_text_done","response_id":"el_7","text":"say \"hi\"\n"}"#)
    }
    /// Every kind, written member by member, against the same members as one `JSONValue`
    /// object through the general writer (how lines were written before).
    @Test func everyKindMatchesTheGeneralWriter() {
        let text = "tab\there \"q\" \u{7F} é 中"
        let cases: [(SessionEvent.Kind, [(String, JSONValue)])] = [
            (.runStarted(backend: "sim"), [("backend", "sim")]),
            (.connected(conversationId: "conv_1"), [("conversation_id", "conv_1")]),
            (.stopRequested, []), (.userSpeechStarted, []), (.userSpeechStopped, []), (.agentThinking, []), (.agentAudioDone, []),
            (.ended(reason: text), [("reason", .string(text))]),
            (.failed(error: text), [("error", .string(text))]),
            (.userTranscript(text: text, isFinal: false), [("text", .string(text)), ("final", .bool(false))]),
            (.userMessage(text: text), [("text", .string(text))]),
            (.userMessage(text: text, origin: .operator), [("text", .string(text)), ("origin", "operator")]),
            (.contextualUpdate(text: text), [("text", .string(text))]),
            (.userAudio(bytes: 3200, durationMs: 100), [("bytes", .int(3200)), ("ms", .int(100))]),
            (.agentAudio(eventId: nil, bytes: 1, durationMs: 0), [("bytes", .int(1)), ("ms", .int(0))]),
            (.agentAudio(eventId: 9, bytes: 1, durationMs: 0), [("event_id", .int(9)), ("bytes", .int(1)), ("ms", .int(0))]),
            (.toolResult(callId: "c1", result: text, isError: true), [("call_id", "c1"), ("result", .string(text)), ("is_error", .bool(true))]),
            (.agentTextDelta(responseId: "r", text: text), [("response_id", "r"), ("text", .string(text))]),
            (.agentTextDone(responseId: "r", text: nil), [("response_id", "r"), ("text", .null)]),
            (.agentTextDone(responseId: "r", text: text), [("response_id", "r"), ("text", .string(text))]),
            (.agentCorrection(original: "a", corrected: text), [("original", "a"), ("corrected", .string(text))]),
            (.interruption(eventId: nil), [("event_id", .null)]),
            (.interruption(eventId: 12), [("event_id", .int(12))]),
            (.toolCall(callId: "c", name: "n", arguments: "{}"), [("call_id", "c"), ("tool", "n"), ("arguments", "{}")]),
            (.ping(eventId: nil, latencyMs: 5), [("event_id", .null), ("latency_ms", .int(5))]),
            (.vadScore(0.25), [("score", .number(0.25))]),
            (.serverError(code: "x", message: text), [("code", "x"), ("message", .string(text))]),
            (.rateLimits(summary: text), [("summary", .string(text))]),
            (.usage(inputTokens: 7, outputTokens: 8), [("input_tokens", .int(7)), ("output_tokens", .int(8))]),
            (.unknown(type: "odd"), [("event_type", "odd")]),
            (.malformed(detail: text), [("detail", .string(text))]),
            (.mcpToolCall(callId: "m", name: "n", state: "success", detail: text),
             [("call_id", "m"), ("tool", "n"), ("state", "success"), ("detail", .string(text))]),
            (.toolApproval(callId: "m", approved: false), [("call_id", "m"), ("approved", .bool(false))]),
            (.feedback(eventId: nil, like: true), [("event_id", .null), ("like", .bool(true))]),
            (.feedback(eventId: 4, like: false), [("event_id", .int(4)), ("like", .bool(false))]),
            (.recordingStopped(reason: text), [("reason", .string(text))]),
            (.recordingResumed(lostLines: 3), [("lost_lines", .int(3))]),
            (.alert(rule: "stalled", raised: false, reason: text), [("rule", "stalled"), ("state", "cleared"), ("reason", .string(text))]),
            (.mark(note: text), [("note", .string(text))]),
            (.mark(note: ""), [("note", "")]),
            (.turnMetrics(TurnMetrics(turn: 2, mode: .text, firstTextMs: 5)), TurnMetrics(turn: 2, mode: .text, firstTextMs: 5).members),
            (.turnMetrics(Self.everyStage), Self.everyStage.members),
        ]
        for (kind, members) in cases {
            let event = SessionEvent(offset: 2_500_001, run: 4, kind: kind)
            let head: [(String, JSONValue)] = [("t", .number(2.500001)), ("run", .int(4)), ("type", .string(kind.typeName))]
            var reference: [UInt8] = []
            JSONWriter.write(.object([("session", .int(12)), ("name", "el-12")] + head + members), into: &reference)
            var line: [UInt8] = []
            event.writeLogLine(into: &line, session: (12, "el-12"))
            #expect(String(decoding: line, as: UTF8.self) == String(decoding: reference, as: UTF8.self))
        }
    }

    /// A turn with every member set: the line's writer and the snapshot's member list agree.
    static let everyStage = TurnMetrics(
        turn: 12, mode: .voice, voiceToVoiceMs: 820, endpointingMs: 310, transcriptMs: 120, responseToTextMs: 400,
        responseToAudioMs: 450, firstTextMs: 610, firstAudioMs: 700, doneMs: 2400, agentAudioMs: 1800, interrupted: true,
        heardMs: 900, toolMs: [35, 1200], pingMs: 41, talkOverMs: 260)
}
