import ConvEngine
import Foundation
import Testing
import TestSupport

/// Values from outside (servers, logs) that no counter or line can hold (issue 14): they
/// saturate, are cut with a marker, or make their frame malformed; none traps.
@Suite struct HostileValueTests {
    private func state(_ kinds: [SessionEvent.Kind]) -> SessionState {
        var state = SessionState(backend: "openai")
        state.apply(SessionEvent(offset: 0, run: 1, kind: .runStarted(backend: "openai")))
        state.apply(SessionEvent(offset: 1, run: 1, kind: .connected(conversationId: "c")))
        for kind in kinds { state.apply(SessionEvent(offset: 2, run: 1, kind: kind)) }
        return state
    }

    /// `counters.inputTokens += input` trapped on the second `Int.max` (exit 132, every session gone).
    @Test func countersSaturate() {
        let s = state([
            .usage(inputTokens: .max, outputTokens: 8_999_999_999_999_999), .usage(inputTokens: .max, outputTokens: 8_999_999_999_999_999),
            .userAudio(bytes: .max, durationMs: .min), .userAudio(bytes: .max, durationMs: .min),
            .agentAudio(eventId: nil, bytes: .max, durationMs: .max), .agentAudio(eventId: nil, bytes: .max, durationMs: .max),
        ])
        #expect(s.counters.inputTokens == JSONValue.maxSafeInteger)
        #expect(s.counters.outputTokens == JSONValue.maxSafeInteger)
        #expect(s.counters.audioBytesOut == JSONValue.maxSafeInteger)
        #expect(s.counters.audioMillisecondsOut == 0)
        #expect(s.counters.audioBytesIn == JSONValue.maxSafeInteger)
    }

    /// A token count that is a string or an absurd number makes its `response.done` malformed,
    /// in that session only; a plain one is counted.
    @Test(arguments: [#""9223372036854775807""#, "9223372036854775807", "-5", "1e300", "2.5", "[1]", "184467440737095516150"])
    func absurdTokenCountsAreMalformed(count: String) {
        var conversation = OpenAIRealtimeConversation(options: OpenAIRealtimeOptions())
        let frame = #"{"type":"response.done","response":{"id":"r","status":"completed","usage":{"input_tokens":\#(count),"output_tokens":1}}}"#
        let events = conversation.receive(frame).events
        #expect(events.count == 1)
        guard case .malformed(let detail)? = events.first else {
            Issue.record("not malformed: \(events)")
            return
        }
        #expect(detail.contains("input_tokens"), "\(detail)")
    }

    @Test func plainTokenCountsAreCounted() {
        var conversation = OpenAIRealtimeConversation(options: OpenAIRealtimeOptions())
        let frame = #"{"type":"response.done","response":{"id":"r","status":"completed","usage":{"input_tokens":9007199254740991,"output_tokens":0}}}"#
        #expect(conversation.receive(frame).events.first == .usage(inputTokens: JSONValue.maxSafeInteger, outputTokens: 0))
    }

    // MARK: Size limits (deliverable 3)

    @Test func longTextIsCutAtACharacterWithAMarker() {
        let text = String(repeating: "é", count: 1000)
        let cut = TextLimit.capped(text, to: 101)
        #expect(cut.utf8.count <= 101)
        #expect(cut.hasSuffix(TextLimit.marker))
        #expect(cut.dropLast(TextLimit.marker.count).allSatisfy { $0 == "é" })
        #expect(TextLimit.capped("short", to: 101) == "short")
    }

    /// 40 agent responses of 20 MiB held 918 MB: a transcript entry and an inspector event are cut.
    @Test func aHugeReplyIsCutInTheTranscriptAndTheInspector() {
        let huge = String(repeating: "x", count: 3 << 20)
        let s = state([
            .agentTextDelta(responseId: "r", text: huge), .agentTextDelta(responseId: "r", text: huge),
            .agentTextDone(responseId: "q", text: huge),
        ])
        for entry in s.transcript where entry.role == .agent {
            #expect(entry.text.utf8.count <= TextLimit.transcriptEntryBytes)
            #expect(TextLimit.isCapped(entry.text))
        }
        for record in s.recentEvents {
            if case .agentTextDelta(_, let text) = record.kind { #expect(text.utf8.count <= TextLimit.inspectorBytes) }
        }
    }

    /// A 10 MB `send` and a 20 MiB `agent_response` were written on lines the reader refused
    /// (over 8 MiB). The longest line the writer can now write, every byte escaped, reads back.
    @Test func theLongestLineTheWriterWritesIsRead() async throws {
        // Seconds of CPU in a debug build: off the cooperative pool (see `cpuHeavy`).
        let (length, kind, decoded) = await cpuHeavy { () -> (Int, SessionEvent.Kind, Result<SessionEvent, LogProblem.Kind>) in
            let quotes = String(repeating: "\"", count: 4 << 20)
            let kind = SessionEvent.Kind.toolCall(callId: quotes, name: quotes, arguments: quotes).cappingText()
            var line: [UInt8] = []
            SessionEvent(offset: 5, run: 1, kind: kind).writeLogLine(into: &line, session: (number: 1, name: "a"))
            let length = line.count
            line = []
            SessionEvent(offset: 5, run: 1, kind: kind).writeLogLine(into: &line)
            return (length, kind, line.withUnsafeBytes { SessionLogReader.parseEvent($0, complete: true) })
        }
        #expect(length < LineScanner.defaultMaxLineLength, "\(length)")
        #expect(try decoded.get().kind == kind)
    }
}
