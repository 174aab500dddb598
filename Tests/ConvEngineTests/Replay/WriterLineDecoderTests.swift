import Testing
@testable import ConvEngine

@Suite("Writer line decoder")
struct WriterLineDecoderTests {
    /// The general decoder's event for `line`, and the writer-shape decoder's (nil when it
    /// leaves the line to the general one).
    private static func both(_ line: String) -> (general: SessionEvent?, fast: SessionEvent?) {
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBytes { raw in
            let general = try? SessionLogReader.parseEvent(raw, complete: true).get()
            let fast = EventLineClassifier.prefix(raw).flatMap { WriterLineDecoder.decode(raw, prefix: $0) }
            return (general, fast)
        }
    }

    /// Payloads that stress the shape: empty, wide, quoted (escaped, so left to the parser),
    /// negative and absent ids, whole and fractional scores.
    static let kinds: [SessionEvent.Kind] =
        ReplayIndexTests.everyKind + [
            .userTranscript(text: "", isFinal: false), .agentTextDelta(responseId: "resp_1", text: " 您好，世界 😀"),
            .agentTextDone(responseId: "r", text: "done"), .agentTextDone(responseId: "r", text: "say \"hi\""),
            .agentAudio(eventId: nil, bytes: 8000, durationMs: 250), .interruption(eventId: 41), .ping(eventId: nil, latencyMs: nil),
            .ping(eventId: -3, latencyMs: 0), .vadScore(1), .vadScore(0.86), .vadScore(-0.125), .userAudio(bytes: 0, durationMs: 0),
            .toolCall(callId: "c", name: "n", arguments: #"{"a":1}"#), .failed(error: "line\nbreak"),
            .mark(note: ""), .userMessage(text: "typed", origin: .operator),
            .turnMetrics(TurnMetrics(turn: 1, mode: .text)),
            .turnMetrics(
                TurnMetrics(
                    turn: 7, mode: .voice, voiceToVoiceMs: 820, endpointingMs: 0, transcriptMs: -5, responseToTextMs: 10,
                    responseToAudioMs: 11, firstTextMs: 12, firstAudioMs: 13, doneMs: 14, agentAudioMs: 2400, interrupted: true,
                    heardMs: 900, toolMs: [120, 3], pingMs: 40)),
            .turnMetrics(TurnMetrics(turn: 2, mode: .voice, toolMs: [0])),
        ]

    @Test func decodesEveryWrittenLineAsTheGeneralDecoderDoes() {
        var decodedFast = 0
        for (i, kind) in Self.kinds.enumerated() {
            let event = SessionEvent(offset: 12_000_345 + Int64(i) * 1_000_001, run: 2, kind: kind)
            let (general, fast) = Self.both(TestLogs.line(event))
            #expect(general == event, "\(kind)")
            if let fast {
                #expect(fast == general, "\(kind)")
                decodedFast += 1
            }
        }
        // Only lines with escapes (quotes, a newline, JSON arguments) go to the general decoder.
        #expect(decodedFast == Self.kinds.count - 3)
    }

    @Test func linesOfAnotherShapeAreLeftToTheGeneralDecoder() {
        let lines = [
            #"{"t":1.000000,"run":1,"type":"agent_audio","bytes":08,"ms":2}"#,
            #"{"t":1.000000,"run":1,"type":"agent_audio","bytes":8e2,"ms":2}"#,
            #"{"t":1.000000,"run":1,"type":"agent_audio","bytes":8.0,"ms":2}"#,
            #"{"t":1.000000,"run":1,"type":"agent_audio","ms":2,"bytes":8}"#,
            #"{"t":1.000000,"run":1,"type":"agent_audio","bytes":8, "ms":2}"#,
            #"{"t":1.000000,"run":1,"type":"agent_audio","bytes":8,"ms":2,"extra":true}"#,
            #"{"t":1.000000,"run":1,"type":"agent_audio","event_id":null,"bytes":8,"ms":2}"#,
            #"{"t":1.000000,"run":1,"type":"agent_audio","bytes":"8","ms":2}"#,
            #"{"t":1.000000,"run":1,"type":"agent_audio","bytes":1234567890123456,"ms":2}"#,
            #"{"t":1.000000,"run":1,"type":"vad_score","score":.5}"#,
            #"{"t":1.000000,"run":1,"type":"vad_score","score":1e-1}"#,
            #"{"t":1.000000,"run":1,"type":"user_transcript","text":"a","final":1}"#,
            #"{"t":1.000000,"run":1,"type":"user_transcript","text":"a\u0041","final":true}"#,
            #"{"t":1.000000,"run":1,"type":"agent_text_delta","response_id":"r"}"#,
            #"{"t":99999999.000000,"run":1,"type":"connected","conversation_id":"c"}"#,
            #"{"t":1.000000,"run":1,"type":"turn_metrics","turn":1,"mode":"voice"}"#,
            Self.turnLine(tools: "[1,]"), Self.turnLine(tools: "[01]"), Self.turnLine(tools: "[1 ]"), Self.turnLine(tools: "[1.5]"),
            Self.turnLine(tools: "[[1]]"), Self.turnLine(tools: "null"), Self.turnLine(tools: "[1]", mode: "VOICE"),
        ]
        for line in lines {
            let (general, fast) = Self.both(line)
            #expect(fast == nil || fast == general, "\(line)")
        }
        #expect(Self.both(lines[4]).fast == nil)
        #expect(Self.both(lines[5]).general != nil && Self.both(lines[5]).fast == nil)
    }

    /// A `turn_metrics` line in the writer's shape with `tool_ms` and `mode` as given.
    private static func turnLine(tools: String, mode: String = "voice") -> String {
        #"{"t":1.000000,"run":1,"type":"turn_metrics","turn":3,"mode":"\#(mode)","voice_to_voice_ms":null,"endpointing_ms":null,"#
            + #""transcript_ms":null,"response_to_text_ms":null,"response_to_audio_ms":null,"first_text_ms":5,"first_audio_ms":null,"#
            + #""done_ms":null,"agent_audio_ms":0,"interrupted":false,"heard_ms":null,"tool_ms":\#(tools),"ping_ms":null}"#
    }

    @Test func turnMetricsInTheWritersShapeDecodeFast() {
        let (general, fast) = Self.both(Self.turnLine(tools: "[4,50]"))
        #expect(fast != nil)
        #expect(fast == general)
        #expect(Self.both(Self.turnLine(tools: "[]")).fast != nil)
        #expect(Self.both(Self.turnLine(tools: "[1,]")).fast == nil)
    }

    /// Lines written since talk-over is measured end with `talk_over_ms`; both decoders read
    /// it, and lines written before (ending at `ping_ms`) read as before, without it.
    @Test func talkOverIsReadWhenPresentAndAbsentFromOlderLines() {
        let old = Self.turnLine(tools: "[]")
        let new = String(old.dropLast()) + #","talk_over_ms":420}"#
        let (general, fast) = Self.both(new)
        #expect(fast != nil)
        #expect(fast == general)
        guard case .turnMetrics(let turn) = fast?.kind else {
            Issue.record("not a turn_metrics event: \(String(describing: fast))")
            return
        }
        #expect(turn.talkOverMs == 420)
        guard case .turnMetrics(let older) = Self.both(old).fast?.kind else {
            Issue.record("an older line did not decode fast")
            return
        }
        #expect(older.talkOverMs == nil)
        #expect(Self.both(old).general == Self.both(old).fast)
    }

    @Test func textIsSanitizedAsTheGeneralDecoderDoes() {
        let line = "{\"t\":1.000000,\"run\":1,\"type\":\"user_message\",\"text\":\"a\u{202E}b\u{9B}c\"}"
        let (general, fast) = Self.both(line)
        #expect(fast != nil)
        #expect(fast == general)
    }
}
