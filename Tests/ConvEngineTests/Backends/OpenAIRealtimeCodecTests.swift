@testable import ConvEngine
import Testing

/// The OpenAI Realtime server events (docs/backends.md, "Wire facts") in both dialects, and the client events.
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
            .agentAudio(eventId: 1, bytes: 4800, durationMs: 100), .agentTextDelta(responseId: "r1", text: "lo"), .agentAudioDone,
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

    /// The type of each frame, for checking what went out.
    private func types(_ frames: [String]) -> [String] {
        frames.compactMap { try? JSONParser.parse($0)["type"]?.stringValue }
    }

    private func type(_ frame: String) -> String? {
        types([frame]).first
    }

    /// With server VAD and interrupt_response (the default) the server cancels by itself: a
    /// client cancel would be refused with `response_cancel_not_active`.
    @Test func bargeInWithInterruptResponseOnlyTruncates() throws {
        var conversation = OpenAIRealtimeConversation(options: OpenAIRealtimeOptions())
        let audio = Base64.encode(Array(repeating: 0, count: 9600))
        _ = conversation.receive(#"{"type":"response.created","response":{"id":"r1"}}"#)
        _ = conversation.receive(#"{"type":"response.output_audio.delta","response_id":"r1","item_id":"i1","delta":"\#(audio)"}"#)
        let step = conversation.receive(#"{"type":"input_audio_buffer.speech_started","item_id":"u2"}"#)
        #expect(step.events == [.userSpeechStarted, .interruption(eventId: 1)])
        #expect(types(step.replies) == ["conversation.item.truncate"])
        let truncate = try JSONParser.parse(step.replies[0])
        #expect(truncate["item_id"] == "i1")
        #expect(truncate["audio_end_ms"] == 200)
        #expect(truncate["event_id"]?.stringValue?.isEmpty == false)
        // Audio of the interrupted response still in flight is stale: numbered at the watermark.
        let late = conversation.receive(#"{"type":"response.output_audio.delta","response_id":"r1","item_id":"i1","delta":"\#(audio)"}"#)
        #expect(late.events == [.agentAudio(eventId: 1, bytes: 9600, durationMs: 200)])
        _ = conversation.receive(#"{"type":"response.done","response":{"id":"r1","status":"cancelled"}}"#)
        // Speech with no response in progress is just speech.
        #expect(conversation.receive(#"{"type":"input_audio_buffer.speech_started"}"#).replies.isEmpty)
        _ = conversation.receive(#"{"type":"response.created","response":{"id":"r2"}}"#)
        let next = conversation.receive(#"{"type":"response.output_audio.delta","response_id":"r2","item_id":"i2","delta":"\#(audio)"}"#)
        #expect(next.events == [.agentAudio(eventId: 2, bytes: 9600, durationMs: 200)])
    }

    @Test(arguments: [(true, false), (false, true)])
    func bargeInWithoutServerCancellationAlsoCancels(serverVAD: Bool, interruptResponse: Bool) {
        var conversation = OpenAIRealtimeConversation(options: OpenAIRealtimeOptions(serverVAD: serverVAD, interruptResponse: interruptResponse))
        _ = conversation.receive(#"{"type":"response.created","response":{"id":"r1"}}"#)
        _ = conversation.receive(#"{"type":"response.output_audio.delta","response_id":"r1","item_id":"i1","delta":"AAAA"}"#)
        let step = conversation.receive(#"{"type":"input_audio_buffer.speech_started","item_id":"u2"}"#)
        #expect(types(step.replies) == ["conversation.item.truncate", "response.cancel"])
        #expect(step.replies[1].contains(#""response_id":"r1""#))
    }

    /// Lines typed while a response streams wait for its `response.done`, each with its own
    /// `response.create`, in order.
    @Test func linesTypedDuringAResponseWaitForItsEnd() throws {
        var conversation = OpenAIRealtimeConversation(options: OpenAIRealtimeOptions())
        #expect(types(conversation.encode(.userText("one"))) == ["conversation.item.create", "response.create"])
        _ = conversation.receive(#"{"type":"response.created","response":{"id":"r1"}}"#)
        #expect(conversation.encode(.userText("two")).isEmpty)
        #expect(conversation.encode(.userText("three")).isEmpty)
        // Context needs no response: it goes out at once.
        #expect(types(conversation.encode(.contextualUpdate("fyi"))) == ["conversation.item.create"])
        let first = conversation.receive(#"{"type":"response.done","response":{"id":"r1","status":"completed"}}"#)
        #expect(types(first.replies) == ["conversation.item.create", "response.create"])
        #expect(try JSONParser.parse(first.replies[0])["item"]?["content"]?.arrayValue?.first?["text"] == "two")
        _ = conversation.receive(#"{"type":"response.created","response":{"id":"r2"}}"#)
        let second = conversation.receive(#"{"type":"response.done","response":{"id":"r2","status":"completed"}}"#)
        #expect(try JSONParser.parse(second.replies[0])["item"]?["content"]?.arrayValue?.first?["text"] == "three")
        _ = conversation.receive(#"{"type":"response.created","response":{"id":"r3"}}"#)
        #expect(conversation.receive(#"{"type":"response.done","response":{"id":"r3","status":"completed"}}"#).replies.isEmpty)
    }

    /// A `response.create` that crossed a server-VAD response on the wire is refused; it is sent
    /// again after that response, and the error names the action that caused it.
    @Test func aRefusedResponseRequestIsRetriedAfterTheActiveResponse() throws {
        var conversation = OpenAIRealtimeConversation(options: OpenAIRealtimeOptions())
        let sent = conversation.encode(.userText("hello"))
        let eventId = try #require(try JSONParser.parse(sent[1])["event_id"]?.stringValue)
        _ = conversation.receive(#"{"type":"response.created","response":{"id":"vad1"}}"#)
        let refused = conversation.receive(
            #"{"type":"error","error":{"type":"invalid_request_error","code":"conversation_already_has_active_response","message":"busy","event_id":"\#(eventId)"}}"#)
        #expect(refused.replies.isEmpty)
        guard case .serverError(let code, let message) = refused.events.first else {
            Issue.record("expected an error, got \(refused.events)")
            return
        }
        #expect(code == "conversation_already_has_active_response")
        #expect(message.contains("response request") && message.contains(eventId))
        let done = conversation.receive(#"{"type":"response.done","response":{"id":"vad1","status":"completed"}}"#)
        #expect(types(done.replies) == ["response.create"])
    }

    /// A refusal that names no event is still taken as the refusal of our request.
    @Test func aRefusalWithoutAnEventIdIsRetriedToo() {
        var conversation = OpenAIRealtimeConversation(options: OpenAIRealtimeOptions())
        _ = conversation.encode(.userText("hello"))
        _ = conversation.receive(#"{"type":"response.created","response":{"id":"vad1"}}"#)
        _ = conversation.receive(#"{"type":"error","error":{"code":"conversation_already_has_active_response","message":"busy"}}"#)
        let done = conversation.receive(#"{"type":"response.done","response":{"id":"vad1","status":"completed"}}"#)
        #expect(types(done.replies) == ["response.create"])
    }

    /// Every client event carries a distinct event_id.
    @Test func everyClientEventHasAnEventId() throws {
        var conversation = OpenAIRealtimeConversation(options: OpenAIRealtimeOptions(serverVAD: false))
        var frames = conversation.opening()
        frames += conversation.encode(.audio(AudioChunk(samples: [1, 2], sampleRate: 24000)))
        frames += conversation.encode(.audioStreamEnded)
        frames += conversation.encode(.contextualUpdate("c"))
        let ids = try frames.map { try #require(try JSONParser.parse($0)["event_id"]?.stringValue) }
        #expect(Set(ids).count == frames.count)
    }

    @Test func aFailedResponseSaysWhy() {
        let kinds = events([
            #"{"type":"response.done","response":{"id":"r1","status":"failed","status_details":{"type":"failed","error":{"type":"insufficient_quota","code":"insufficient_quota","message":"You exceeded your current quota"}}}}"#,
        ])
        #expect(kinds == [.serverError(code: "insufficient_quota", message: "response r1 failed: insufficient_quota: You exceeded your current quota")])
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
        (#"{"type":"error","error":"boom"}"#, "error is not an object"),
        (#"{"type":"rate_limits.updated","rate_limits":[1]}"#, "rate_limits[0] is not an object"),
        (#"{"type":"conversation.item.input_audio_transcription.completed","transcript":null}"#, "transcript is missing"),
        (#"["response.done"]"#, "frame without a type"),
    ])
    func validJSONOfTheWrongShapeIsMalformed(frame: String, reason: String) {
        var conversation = OpenAIRealtimeConversation(options: OpenAIRealtimeOptions())
        expectOnlyMalformed(conversation.receive(frame), reason: reason)
    }

    /// Outputs of parallel calls go out after the response that made them, with one
    /// `response.create` for all.
    @Test func functionCallsAreAnsweredAfterTheResponse() {
        var conversation = OpenAIRealtimeConversation(options: OpenAIRealtimeOptions())
        _ = conversation.receive(#"{"type":"response.created","response":{"id":"r1"}}"#)
        let step = conversation.receive(#"{"type":"response.function_call_arguments.done","call_id":"c1","name":"f","arguments":"{}"}"#)
        #expect(step.events.first == .toolCall(callId: "c1", name: "f", arguments: "{}"))
        #expect(step.replies.isEmpty)
        _ = conversation.receive(#"{"type":"response.function_call_arguments.done","call_id":"c2","name":"g","arguments":"{}"}"#)
        let done = conversation.receive(#"{"type":"response.done","response":{"id":"r1","status":"completed"}}"#)
        #expect(types(done.replies) == ["conversation.item.create", "conversation.item.create", "response.create"])
    }

    /// A call to a manual function waits for the operator: nothing goes out on the response's
    /// end, and the answer brings every output of that response with one `response.create`.
    @Test func aManualFunctionCallWaitsForTheOperatorsAnswer() throws {
        var conversation = OpenAIRealtimeConversation(options: OpenAIRealtimeOptions(manualTools: ["lookup_order"]))
        _ = conversation.receive(#"{"type":"response.created","response":{"id":"r1"}}"#)
        let call = conversation.receive(#"{"type":"response.function_call_arguments.done","call_id":"c1","name":"lookup_order","arguments":"{}"}"#)
        #expect(call.events == [.toolCall(callId: "c1", name: "lookup_order", arguments: "{}")], "no automatic error result")
        _ = conversation.receive(#"{"type":"response.function_call_arguments.done","call_id":"c2","name":"g","arguments":"{}"}"#)
        let done = conversation.receive(#"{"type":"response.done","response":{"id":"r1","status":"completed"}}"#)
        #expect(done.replies.isEmpty, "the automatic output waits with the manual call")
        let answer = conversation.encode(.toolResult(callId: "c1", result: "shipped", isError: false))
        #expect(types(answer) == ["conversation.item.create", "conversation.item.create", "response.create"])
        let outputs = try answer.prefix(2).map { try JSONParser.parse($0)["item"]?["call_id"]?.stringValue }
        #expect(outputs == ["c2", "c1"])
        #expect(try JSONParser.parse(answer[1])["item"]?["output"] == "shipped")
    }

    /// Beta's `response.function_call_arguments.done` has no `name` (the openai SDK's beta
    /// type): it comes from the call's item.
    @Test func aBetaFunctionCallIsNamedByItsItem() {
        let kinds = events([
            #"{"type":"response.output_item.added","response_id":"r1","output_index":0,"item":{"id":"i1","type":"function_call","call_id":"c1","name":"lookup","arguments":""}}"#,
            #"{"type":"response.function_call_arguments.done","response_id":"r1","item_id":"i1","output_index":0,"call_id":"c1","arguments":"{}"}"#,
        ], options: OpenAIRealtimeOptions(dialect: .beta))
        #expect(kinds.first == .toolCall(callId: "c1", name: "lookup", arguments: "{}"))
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
        #expect(type(text[1]) == "response.create")
        _ = manual.receive(#"{"type":"response.done","response":{"id":"r1","status":"completed"}}"#)
        #expect(types(manual.encode(.audioStreamEnded)) == ["input_audio_buffer.commit", "response.create"])
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
        #expect(endpoint.description.contains("OpenAI-Beta: realtime=v1"))
    }

    /// A URL's user info is never shown, nor its query.
    @Test func descriptionsDropUserInfo() {
        let endpoint = OpenAIRealtimeTransport.endpoint(
            OpenAIRealtimeOptions(baseURL: "wss://user:pa55@example.com/v1", apiKey: "sk-secret"))
        #expect(endpoint.description.hasPrefix("wss://example.com/v1/realtime ["))
        #expect(!endpoint.description.contains("pa55"))
        #expect(!endpoint.description.contains("model="))
    }
}
