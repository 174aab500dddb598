@testable import ConvEngine
import Testing

/// The OpenAI Realtime server events of PROTOCOLS.md in both dialects, and the client events.
@Suite struct OpenAIRealtimeCodecTests {
    private func events(_ frames: [String], options: OpenAIRealtimeOptions = OpenAIRealtimeOptions()) -> [SessionEvent.Kind] {
        var conversation = OpenAIRealtimeConversation(options: options)
        return frames.flatMap { conversation.receive($0).events }
    }

    @Test(arguments: [RealtimeDialect.ga, .beta])
    func aResponseInEitherDialect(dialect: RealtimeDialect) {
        let ga = dialect == .ga
        let audio = Base64.encode(Array(repeating: 0, count: 4800))
        let kinds = events([
            #"{"type":"session.created","session":{"id":"sess_1","type":"realtime"}}"#,
            #"{"type":"session.updated","session":{}}"#,
            #"{"type":"response.created","response":{"id":"r1","status":"in_progress"}}"#,
            #"{"type":"response.output_item.added","item":{"id":"i1"}}"#,
            #"{"type":"\#(ga ? "response.output_audio_transcript.delta" : "response.audio_transcript.delta")","response_id":"r1","delta":"Hel"}"#,
            #"{"type":"\#(ga ? "response.output_audio.delta" : "response.audio.delta")","response_id":"r1","item_id":"i1","delta":"\#(audio)"}"#,
            #"{"type":"\#(ga ? "response.output_text.delta" : "response.text.delta")","response_id":"r1","delta":"lo"}"#,
            #"{"type":"\#(ga ? "response.output_audio.done" : "response.audio.done")","response_id":"r1"}"#,
            #"{"type":"\#(ga ? "response.output_audio_transcript.done" : "response.audio_transcript.done")","response_id":"r1","transcript":"Hello"}"#,
            #"{"type":"response.done","response":{"id":"r1","status":"completed","usage":{"input_tokens":5,"output_tokens":7}}}"#,
            #"{"type":"rate_limits.updated","rate_limits":[{"name":"requests","limit":100,"remaining":99,"reset_seconds":1}]}"#,
        ])
        #expect(kinds == [
            .connected(conversationId: "sess_1"), .agentThinking, .agentTextDelta(responseId: "r1", text: "Hel"),
            .agentAudio(eventId: nil, bytes: 4800, durationMs: 100), .agentTextDelta(responseId: "r1", text: "lo"), .agentAudioDone,
            .agentTextDone(responseId: "r1", text: "Hello"), .usage(inputTokens: 5, outputTokens: 7), .agentAudioDone,
            .rateLimits(summary: "requests 99/100"),
        ])
    }

    @Test func inputTranscriptionAndVAD() {
        let kinds = events([
            #"{"type":"input_audio_buffer.speech_started","audio_start_ms":10,"item_id":"u1"}"#,
            #"{"type":"input_audio_buffer.speech_stopped","audio_end_ms":900,"item_id":"u1"}"#,
            #"{"type":"input_audio_buffer.committed","item_id":"u1"}"#,
            #"{"type":"conversation.item.input_audio_transcription.delta","item_id":"u1","delta":"hel"}"#,
            #"{"type":"conversation.item.input_audio_transcription.delta","item_id":"u1","delta":"lo"}"#,
            #"{"type":"conversation.item.input_audio_transcription.completed","item_id":"u1","transcript":"hello"}"#,
            #"{"type":"conversation.item.input_audio_transcription.failed","item_id":"u2","error":{"message":"no speech"}}"#,
        ])
        #expect(kinds == [
            .userSpeechStarted, .userSpeechStopped, .userTranscript(text: "hel", isFinal: false),
            .userTranscript(text: "hello", isFinal: false), .userTranscript(text: "hello", isFinal: true),
            .serverError(code: "transcription_failed", message: "no speech"),
        ])
    }

    @Test func bargeInTruncatesHeardAudioAndCancels() throws {
        var conversation = OpenAIRealtimeConversation(options: OpenAIRealtimeOptions())
        let audio = Base64.encode(Array(repeating: 0, count: 9600))
        _ = conversation.receive(#"{"type":"response.created","response":{"id":"r1"}}"#)
        _ = conversation.receive(#"{"type":"response.output_audio.delta","response_id":"r1","item_id":"i1","delta":"\#(audio)"}"#)
        let step = conversation.receive(#"{"type":"input_audio_buffer.speech_started","item_id":"u2"}"#)
        #expect(step.events == [.userSpeechStarted, .interruption(eventId: nil)])
        let truncate = try JSONParser.parse(step.replies[0])
        #expect(truncate["type"] == "conversation.item.truncate")
        #expect(truncate["item_id"] == "i1")
        #expect(truncate["audio_end_ms"] == 200)
        #expect(step.replies[1] == #"{"type":"response.cancel"}"#)
        // Speech with no response in progress is just speech.
        _ = conversation.receive(#"{"type":"response.done","response":{"id":"r1","status":"cancelled"}}"#)
        #expect(conversation.receive(#"{"type":"input_audio_buffer.speech_started"}"#).replies.isEmpty)
    }

    @Test func errorsAreNotFatalAndUnknownTypesAreCounted() {
        let kinds = events([
            #"{"type":"error","error":{"type":"invalid_request_error","code":"input_audio_buffer_commit_empty","message":"buffer too small"}}"#,
            #"{"type":"error","error":{"type":"invalid_request_error","code":"session_expired","message":"30 minutes"}}"#,
            #"{"type":"response.done","response":{"id":"r2","status":"failed"}}"#,
            #"{"type":"conversation.item.created","item":{}}"#,
            #"{"type":"something.new"}"#,
            #"not json"#,
        ])
        #expect(kinds[0] == .serverError(code: "input_audio_buffer_commit_empty", message: "buffer too small"))
        #expect(kinds[1] == .serverError(code: "session_expired", message: "30 minutes"))
        #expect(kinds[2] == .serverError(code: "response_failed", message: "response r2 failed"))
        #expect(kinds[3] == .unknown(type: "something.new"))
        guard case .malformed = kinds[4] else {
            Issue.record("expected malformed, got \(kinds[4])")
            return
        }
    }

    /// Valid JSON that no Realtime event looks like is recorded as malformed: the conversation
    /// id is kept, no empty text is shown, no phantom function call is answered.
    @Test(arguments: [
        (#"{"type":"response.output_text.delta","delta":42}"#, "delta is not a string"),
        (#"{"type":"response.output_text.delta"}"#, "delta is missing"),
        (#"{"type":"response.output_audio.delta","delta":{"pcm":1}}"#, "delta is not a string"),
        (#"{"type":"session.created","session":[1]}"#, "session is not an object"),
        (#"{"type":"session.created","session":{}}"#, "session.id is missing"),
        (#"{"type":"response.done","response":"done"}"#, "response is not an object"),
        (#"{"type":"response.done","response":{"id":"r","usage":7}}"#, "response.usage is not an object"),
        (#"{"type":"response.function_call_arguments.done","name":42,"call_id":[],"arguments":{}}"#, "call_id is not a string"),
        (#"{"type":"response.function_call_arguments.done","call_id":"c1","arguments":"{}"}"#, "name is missing"),
        (#"{"type":"error","error":"boom"}"#, "error is not an object"),
        (#"{"type":"rate_limits.updated","rate_limits":[1]}"#, "rate_limits[0] is not an object"),
        (#"{"type":"conversation.item.input_audio_transcription.completed","transcript":null}"#, "transcript is missing"),
        (#"["response.done"]"#, "frame without a type"),
    ])
    func validJSONOfTheWrongShapeIsMalformed(frame: String, reason: String) {
        var conversation = OpenAIRealtimeConversation(options: OpenAIRealtimeOptions())
        expectOnlyMalformed(conversation.receive(frame), reason: reason)
    }

    @Test func functionCallsAreAnsweredSoTheResponseGoesOn() {
        var conversation = OpenAIRealtimeConversation(options: OpenAIRealtimeOptions())
        let step = conversation.receive(#"{"type":"response.function_call_arguments.done","call_id":"c1","name":"f","arguments":"{}"}"#)
        #expect(step.events.first == .toolCall(callId: "c1", name: "f", arguments: "{}"))
        #expect(step.replies.count == 2)
        #expect(step.replies[1] == #"{"type":"response.create"}"#)
    }

    @Test func sessionUpdateInBothDialects() throws {
        let ga = try JSONParser.parse(OpenAIRealtimeCodec.sessionUpdate(OpenAIRealtimeOptions(voice: "alloy", serverVAD: false)))
        #expect(ga["session"]?["type"] == "realtime")
        #expect(ga["session"]?["output_modalities"] == .array(["audio"]))
        #expect(ga["session"]?["audio"]?["input"]?["format"]?["rate"] == 24000)
        #expect(ga["session"]?["audio"]?["input"]?["turn_detection"] == .null)
        #expect(ga["session"]?["audio"]?["output"]?["voice"] == "alloy")
        let beta = try JSONParser.parse(OpenAIRealtimeCodec.sessionUpdate(OpenAIRealtimeOptions(dialect: .beta, voice: "alloy")))
        #expect(beta["session"]?["modalities"] == .array(["text", "audio"]))
        #expect(beta["session"]?["input_audio_format"] == "pcm16")
        #expect(beta["session"]?["turn_detection"]?["type"] == "server_vad")
        #expect(beta["session"]?["voice"] == "alloy")
        #expect(beta["session"]?["type"] == nil)
    }

    @Test func clientEvents() throws {
        var manual = OpenAIRealtimeConversation(options: OpenAIRealtimeOptions(serverVAD: false))
        let text = manual.encode(.userText("hi"))
        #expect(try JSONParser.parse(text[0])["item"]?["content"]?.arrayValue?.first?["text"] == "hi")
        #expect(text[1] == #"{"type":"response.create"}"#)
        #expect(manual.encode(.audioStreamEnded) == [#"{"type":"input_audio_buffer.commit"}"#, #"{"type":"response.create"}"#])
        var vad = OpenAIRealtimeConversation(options: OpenAIRealtimeOptions())
        #expect(vad.encode(.audioStreamEnded) == [])
        let append = try JSONParser.parse(vad.encode(.audio(AudioChunk(samples: Array(repeating: 1, count: 160), sampleRate: 16000)))[0])
        #expect(append["type"] == "input_audio_buffer.append")
        #expect(append["audio"]?.stringValue.map(Base64.decodedLength) == 480)
        #expect(OpenAIRealtimeOptions(baseURL: "ws://127.0.0.1:1/v1/", model: "m x").realtimeURL == "ws://127.0.0.1:1/v1/realtime?model=m%20x")
    }

    @Test func headersCarryTheKeyAndTheBetaMarkerButDescriptionsDoNot() {
        let endpoint = OpenAIRealtimeTransport.endpoint(OpenAIRealtimeOptions(apiKey: "sk-secret", dialect: .beta))
        #expect(endpoint.headers[.authorization] == "Bearer sk-secret")
        #expect(endpoint.description.contains("<redacted>"))
        #expect(!endpoint.description.contains("sk-secret"))
        #expect(endpoint.description.contains("OpenAI-Beta"))
    }
}
