@testable import ConvEngine
import Foundation
import Testing
import TestSupport

/// Every ElevenLabs server message of docs/backends.md ("Wire facts"), decoded and turned into session events.
@Suite struct ElevenLabsCodecTests {
    private func step(_ frame: String, _ conversation: inout ElevenLabsConversation) -> WireStep {
        conversation.receive(frame)
    }

    private func events(_ frames: [String], options: ElevenLabsOptions = ElevenLabsOptions(agentId: "a")) -> [SessionEvent.Kind] {
        var conversation = ElevenLabsConversation(options: options)
        return frames.flatMap { conversation.receive($0).events }
    }

    @Test func metadataGivesTheConversationIdAndAudioFormats() {
        var conversation = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a"))
        let result = step(
            #"{"type":"conversation_initiation_metadata","conversation_initiation_metadata_event":{"conversation_id":"conv_1","agent_output_audio_format":"pcm_24000","user_input_audio_format":"pcm_8000"}}"#,
            &conversation)
        #expect(result.events == [.connected(conversationId: "conv_1")])
        #expect(conversation.outputRate == 24000)
        #expect(conversation.inputRate == 8000)
        // User audio is resampled to the announced input rate: 100 ms at 16 kHz → 800 samples at 8 kHz.
        let frame = conversation.encode(.audio(AudioChunk(samples: Array(repeating: 100, count: 1600), sampleRate: 16000)))
        let audio = try? JSONParser.parse(frame[0])["user_audio_chunk"]?.stringValue
        #expect(audio.flatMap { $0 }.map(Base64.decodedLength) == 1600)
        // Agent audio is counted at the announced output rate: 4800 bytes at 24 kHz = 100 ms.
        let chunk = Base64.encode(Array(repeating: 0, count: 4800))
        #expect(step(#"{"type":"audio","audio_event":{"audio_base_64":"\#(chunk)","event_id":1}}"#, &conversation).events
            == [.agentAudio(eventId: 1, bytes: 4800, durationMs: 100)])
    }

    @Test func transcriptsResponsesAndCorrections() {
        let kinds = events([
            #"{"type":"tentative_user_transcript","tentative_user_transcription_event":{"user_transcript":"hel","event_id":3}}"#,
            #"{"type":"user_transcript","user_transcription_event":{"user_transcript":"hello","event_id":3}}"#,
            #"{"type":"agent_response","agent_response_event":{"agent_response":"Hi there","event_id":4}}"#,
            #"{"type":"agent_response_correction","agent_response_correction_event":{"original_agent_response":"Hi there","corrected_agent_response":"Hi","event_id":4}}"#,
            #"{"type":"internal_tentative_agent_response","tentative_agent_response_internal_event":{"tentative_agent_response":"H"}}"#,
            #"{"type":"vad_score","vad_score_event":{"vad_score":0.75}}"#,
        ])
        #expect(kinds == [
            .userTranscript(text: "hel", isFinal: false), .userTranscript(text: "hello", isFinal: true),
            .agentTextDone(responseId: "el_4", text: "Hi there"), .agentCorrection(original: "Hi there", corrected: "Hi"),
            .agentThinking, .vadScore(0.75),
        ])
    }

    @Test func streamedPartsThenTheirFinalResponseIsShownOnce() {
        let kinds = events([
            #"{"type":"agent_chat_response_part","text_response_part":{"text":"","type":"start","event_id":7}}"#,
            #"{"type":"agent_chat_response_part","text_response_part":{"text":"Hel","type":"delta","event_id":7}}"#,
            #"{"type":"agent_chat_response_part","text_response_part":{"text":"lo","type":"delta","event_id":7}}"#,
            #"{"type":"agent_chat_response_part","text_response_part":{"text":"","type":"stop","event_id":7}}"#,
            #"{"type":"agent_response","agent_response_event":{"agent_response":"Hello","event_id":7}}"#,
        ])
        #expect(kinds == [
            .agentThinking, .agentTextDelta(responseId: "el_7", text: "Hel"), .agentTextDelta(responseId: "el_7", text: "lo"),
            .agentTextDone(responseId: "el_7", text: nil),
        ])
    }

    @Test func pingIsAnsweredAtOnceWithItsEventId() {
        var conversation = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a"))
        let first = step(#"{"type":"ping","ping_event":{"event_id":1,"ping_ms":null}}"#, &conversation)
        #expect(first.events == [.ping(eventId: 1, latencyMs: nil)])
        #expect(first.replies == [#"{"type":"pong","event_id":1}"#])
        let second = step(#"{"type":"ping","ping_event":{"event_id":"2","ping_ms":85}}"#, &conversation)
        #expect(second.events == [.ping(eventId: 2, latencyMs: 85)])
        #expect(second.replies == [#"{"type":"pong","event_id":2}"#])
    }

    @Test(arguments: [
        nil, 0, 1, -7, 123_456_789, 8_999_999_999_999_999, -8_999_999_999_999_999, 9_000_000_000_000_000,
        -9_000_000_000_000_000, Int.max, Int.min,
    ])
    func pongIsTheJSONWriterEncoding(eventId: Int?) {
        let expected = JSONWriter.string(.object([("type", "pong"), ("event_id", eventId.map(JSONValue.int) ?? .null)]))
        #expect(ElevenLabsCodec.pong(eventId: eventId) == expected)
    }

    @Test func interruptionVectorDropsOnlyStaleAudio() {
        let audio = Base64.encode(Array(repeating: 0, count: 8000))
        func chunk(_ id: Int) -> String { #"{"type":"audio","audio_event":{"audio_base_64":"\#(audio)","event_id":\#(id)}}"# }
        let kinds = events([chunk(5), chunk(6), #"{"type":"interruption","interruption_event":{"event_id":6}}"#, chunk(6), chunk(7)])
        var state = SessionState(backend: "elevenlabs")
        state.apply(SessionEvent(offset: 0, run: 1, kind: .runStarted(backend: "elevenlabs")))
        state.apply(SessionEvent(offset: 1, run: 1, kind: .connected(conversationId: "c")))
        for (i, kind) in kinds.enumerated() { state.apply(SessionEvent(offset: Int64(i + 2), run: 1, kind: kind)) }
        #expect(state.counters.staleAudioDropped == 1)
        #expect(state.counters.audioMillisecondsIn == 750)
        #expect(state.lastInterruptId == 6)
    }

    @Test func keptAudioLeavesStaleChunksOut() {
        var conversation = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a", keepAudio: true))
        let audio = Base64.encode([1, 0, 2, 0])
        #expect(step(#"{"type":"audio","audio_event":{"audio_base_64":"\#(audio)","event_id":1}}"#, &conversation).agentAudio == AgentAudio(AudioChunk(pcm: [1, 0, 2, 0], sampleRate: 16000), eventId: 1))
        _ = step(#"{"type":"interruption","interruption_event":{"event_id":1}}"#, &conversation)
        #expect(step(#"{"type":"audio","audio_event":{"audio_base_64":"\#(audio)","event_id":1}}"#, &conversation).agentAudio == nil)
    }

    /// `ulaw_8000` agent audio is kept as PCM16 at 8 kHz, so it can be saved and listened to.
    @Test func keptMuLawAudioIsDecodedToPCM() {
        var conversation = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a", keepAudio: true))
        _ = conversation.receive(#"{"type":"conversation_initiation_metadata","conversation_initiation_metadata_event":{"conversation_id":"c","agent_output_audio_format":"ulaw_8000","user_input_audio_format":"pcm_16000"}}"#)
        let tone = AudioChunk(samples: [0, 1000, -1000, 8000], sampleRate: 8000)
        let frame = #"{"type":"audio","audio_event":{"audio_base_64":"\#(Base64.encode(MuLaw.encode(tone)))","event_id":3}}"#
        let kept = try? #require(step(frame, &conversation).agentAudio)
        #expect(kept?.eventId == 3)
        #expect(kept?.chunk.sampleRate == 8000)
        #expect(kept?.chunk == MuLaw.decode(MuLaw.encode(tone), sampleRate: 8000))
    }

    @Test func clientToolCallIsAnsweredWithAnErrorUnlessConfigured() {
        let frame = #"{"type":"client_tool_call","client_tool_call":{"tool_name":"get_weather","tool_call_id":"t1","parameters":{"city":"Oslo"},"event_id":9}}"#
        var unconfigured = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a"))
        let refused = unconfigured.receive(frame)
        #expect(refused.events.first == .toolCall(callId: "t1", name: "get_weather", arguments: #"{"city":"Oslo"}"#))
        let reply = try? JSONParser.parse(refused.replies[0])
        #expect(reply?["type"] == "client_tool_result")
        #expect(reply?["tool_call_id"] == "t1")
        #expect(reply?["is_error"] == true)
        var configured = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a", tools: ["get_weather": "sunny"]))
        let answered = configured.receive(frame)
        #expect(answered.events.last == .toolResult(callId: "t1", result: "sunny", isError: false))
        #expect((try? JSONParser.parse(answered.replies[0]))?["is_error"] == false)
    }

    @Test func errorsUnknownTypesAndMalformedFrames() {
        let kinds = events([
            #"{"type":"error","error_event":{"code":1008,"message":"bad input","error_type":"client"}}"#,
            #"{"type":"brand_new_thing","x":1}"#,
            #"{"type":"agent_resp"#,
            #"{"no_type":true}"#,
        ])
        #expect(kinds[0] == .serverError(code: "client", message: "bad input (code 1008)"))
        #expect(kinds[1] == .unknown(type: "brand_new_thing"))
        guard case .malformed = kinds[2], case .malformed = kinds[3] else {
            Issue.record("expected malformed events, got \(kinds)")
            return
        }
    }

    /// Valid JSON that no ElevenLabs frame looks like is recorded as malformed: no empty turn,
    /// no blank conversation id, no phantom tool call answered.
    @Test(arguments: [
        (#"{"type":"agent_response","agent_response_event":42}"#, "agent_response_event is not an object"),
        (#"{"type":"agent_response","agent_response_event":[1,2]}"#, "agent_response_event is not an object"),
        (#"{"type":"agent_response","agent_response_event":{"agent_response":42,"event_id":7}}"#, "agent_response_event.agent_response is not a string"),
        (#"{"type":"agent_response"}"#, "agent_response_event is missing"),
        (#"{"type":"user_transcript","user_transcription_event":"text"}"#, "user_transcription_event is not an object"),
        (#"{"type":"audio","audio_event":{"audio_base_64":[1,2],"event_id":3}}"#, "audio_event.audio_base_64 is not a string"),
        (#"{"type":"client_tool_call","client_tool_call":{"tool_name":{"a":1}}}"#, "client_tool_call.tool_name is not a string"),
        (#"{"type":"client_tool_call","client_tool_call":{"tool_name":"f"}}"#, "client_tool_call.tool_call_id is missing"),
        (#"{"type":"conversation_initiation_metadata","conversation_initiation_metadata_event":{}}"#, "conversation_initiation_metadata_event.conversation_id is missing"),
        (#"{"type":"ping","ping_event":"often"}"#, "ping_event is not an object"),
        (#"{"type":"vad_score","vad_score_event":{"vad_score":"high"}}"#, "vad_score_event.vad_score is not a number"),
        (#"{"type":"error","error_event":{"message":["x"]}}"#, "error_event.message is not a string"),
        (#"[1,2,3]"#, "frame without a type"),
        (#"{"type":42}"#, "frame without a type"),
    ])
    func validJSONOfTheWrongShapeIsMalformed(frame: String, reason: String) {
        var conversation = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a"))
        expectOnlyMalformed(conversation.receive(frame), reason: reason)
    }

    @Test func idsAndFiguresOfTheWrongTypeReadAsAbsent() {
        let kinds = events([
            #"{"type":"ping","ping_event":{"event_id":"soon","ping_ms":"fast"}}"#,
            #"{"type":"interruption","interruption_event":{"event_id":[1]}}"#,
            #"{"type":"agent_response","agent_response_event":{"agent_response":"hi","event_id":{"n":1}}}"#,
        ])
        #expect(kinds == [.ping(eventId: nil, latencyMs: nil), .interruption(eventId: nil), .agentTextDone(responseId: "el_-", text: "hi")])
    }

    @Test func wireTextIsSanitized() {
        let kinds = events([#"{"type":"agent_response","agent_response_event":{"agent_response":"a\u001b[2Jb\u202e","event_id":1}}"#])
        guard case .agentTextDone(_, let text?) = kinds.first else {
            Issue.record("no text")
            return
        }
        #expect(TextSanitizer.isClean(text))
        #expect(!text.contains("\u{1B}"))
    }

    @Test func sixteenMebibyteFrame() async {
        // A debug build takes about a second over this frame: do it on a thread of its own so
        // that timing-sensitive tests running alongside keep the cooperative pool.
        let kinds = await cpuHeavy {
            let audio = String(repeating: "A", count: 16 << 20)
            var conversation = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a"))
            return conversation.receive(#"{"type":"audio","audio_event":{"audio_base_64":"\#(audio)","event_id":"12"}}"#).events
        }
        #expect(kinds == [.agentAudio(eventId: 12, bytes: 12 << 20, durationMs: (12 << 20) * 500 / 16000)])
    }

    @Test func clientFrames() throws {
        let options = ElevenLabsOptions(
            agentId: "a", prompt: "Be brief", firstMessage: "Hi", language: "en", voiceId: "v1", textOnly: true,
            userId: "u1", dynamicVariables: ["city": "Oslo"])
        let initiation = try JSONParser.parse(ElevenLabsCodec.initiation(options))
        #expect(initiation["type"] == "conversation_initiation_client_data")
        let override = initiation["conversation_config_override"]
        #expect(override?["agent"]?["prompt"]?["prompt"] == "Be brief")
        #expect(override?["agent"]?["first_message"] == "Hi")
        #expect(override?["tts"]?["voice_id"] == "v1")
        #expect(override?["conversation"]?["text_only"] == true)
        #expect(initiation["dynamic_variables"]?["city"] == "Oslo")
        var conversation = ElevenLabsConversation(options: options)
        #expect(conversation.encode(.userText("hi")) == [#"{"type":"user_message","text":"hi"}"#])
        #expect(conversation.encode(.contextualUpdate("fyi")) == [#"{"type":"contextual_update","text":"fyi"}"#])
        #expect(conversation.encode(.userActivity) == [#"{"type":"user_activity"}"#])
        #expect(conversation.encode(.audioStreamEnded) == [])
        #expect(conversation.encode(.audio(AudioChunk(pcm: [1, 2, 3, 4], sampleRate: 16000))) == [#"{"user_audio_chunk":"AQIDBA=="}"#])
        #expect(options.conversationURL == "wss://api.elevenlabs.io/v1/convai/conversation?agent_id=a")
        #expect(ElevenLabsOptions(baseURL: "http://127.0.0.1:8765/", agentId: "a b").conversationURL == "ws://127.0.0.1:8765/v1/convai/conversation?agent_id=a%20b")
        #expect(options.signedURLEndpoint == "https://api.elevenlabs.io/v1/convai/conversation/get-signed-url?agent_id=a")
    }

    /// Overrides go out only when configured: an agent that allows none refuses even an
    /// empty override object's fields, and the contract makes the member optional.
    @Test func initiationWithoutOverridesSendsNone() throws {
        let initiation = try JSONParser.parse(ElevenLabsCodec.initiation(ElevenLabsOptions(agentId: "a", dynamicVariables: ["n": 3, "ok": true])))
        #expect(initiation["conversation_config_override"] == nil)
        #expect(initiation["dynamic_variables"]?["n"] == 3)
        #expect(initiation["dynamic_variables"]?["ok"] == true)
        #expect(initiation["user_id"] == nil)
    }

    @Test func errorTypeAndReasonNameTheFailure() {
        let kinds = events([
            #"{"type":"error","error_event":{"code":1008,"error_type":"override_error","reason":"Override for field 'first_message' is not allowed by config."}}"#,
            #"{"type":"error","error_event":{"code":1002,"message":"no input","error_type":null}}"#,
        ])
        #expect(kinds[0] == .serverError(code: "override_error", message: "Override for field 'first_message' is not allowed by config. (code 1008)"))
        #expect(kinds[1] == .serverError(code: "1002", message: "no input"))
    }

    @Test func mcpApprovalWaitsUnlessAutoApproved() throws {
        let frame = #"{"type":"mcp_tool_call","mcp_tool_call":{"service_id":"s","tool_call_id":"m1","tool_name":"search","parameters":{"q":"x"},"timestamp":"2026-01-01T00:00:00Z","state":"awaiting_approval","approval_timeout_secs":300}}"#
        var asking = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a"))
        let waiting = asking.receive(frame)
        #expect(waiting.events == [.mcpToolCall(callId: "m1", name: "search", state: "awaiting_approval", detail: #"{"q":"x"}"#)])
        #expect(waiting.replies.isEmpty)
        #expect(asking.encode(.toolApproval(callId: "m1", approved: false)) == [#"{"type":"mcp_tool_approval_result","tool_call_id":"m1","is_approved":false}"#])
        var trusting = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a", autoApprove: ["search"]))
        let approved = trusting.receive(frame)
        #expect(approved.events.last == .toolApproval(callId: "m1", approved: true))
        #expect(approved.replies == [#"{"type":"mcp_tool_approval_result","tool_call_id":"m1","is_approved":true}"#])
        let failed = asking.receive(#"{"type":"mcp_tool_call","mcp_tool_call":{"service_id":"s","tool_call_id":"m1","tool_name":"search","parameters":{},"timestamp":"t","state":"failure","error_message":"denied"}}"#)
        #expect(failed.events == [.mcpToolCall(callId: "m1", name: "search", state: "failure", detail: "denied")])
    }

    @Test func manualToolCallsWaitForTheOperator() {
        let frame = #"{"type":"client_tool_call","client_tool_call":{"tool_name":"lookup","tool_call_id":"t2","parameters":{},"event_id":3}}"#
        var conversation = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a", manualTools: ["lookup"]))
        let step = conversation.receive(frame)
        #expect(step.events == [.toolCall(callId: "t2", name: "lookup", arguments: "{}")])
        #expect(step.replies.isEmpty)
    }

    @Test func feedbackRatesTheLatestResponse() {
        var conversation = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a"))
        #expect(conversation.encode(.feedback(eventId: nil, like: true)) == [])
        _ = conversation.receive(#"{"type":"agent_response","agent_response_event":{"agent_response":"hi","event_id":41}}"#)
        #expect(conversation.encode(.feedback(eventId: nil, like: true)) == [#"{"type":"feedback","event_id":41,"score":"like"}"#])
        #expect(conversation.encode(.feedback(eventId: 7, like: false)) == [#"{"type":"feedback","event_id":7,"score":"dislike"}"#])
    }

    /// A server that asks for `ulaw_8000` gets 8 kHz μ-law: one byte per sample, which decodes
    /// back to the audio sent.
    @Test func muLawInputWhenTheServerAsksForIt() throws {
        var conversation = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a"))
        _ = conversation.receive(#"{"type":"conversation_initiation_metadata","conversation_initiation_metadata_event":{"conversation_id":"c","agent_output_audio_format":"pcm_16000","user_input_audio_format":"ulaw_8000"}}"#)
        #expect(conversation.inputIsMuLaw)
        let tone = AudioChunk(samples: (0..<1600).map { Int16(6000 * sin(Double($0) * 2 * .pi * 300 / 16000)) }, sampleRate: 16000)
        let frame = try #require(conversation.encode(.audio(tone)).first)
        let base64 = try #require(JSONParser.parse(frame)["user_audio_chunk"]?.stringValue)
        let bytes = try #require(Base64.decode(base64))
        #expect(bytes.count == 800)
        let back = MuLaw.decode(bytes, sampleRate: 8000)
        let expected = Resampler.convert(tone, to: 8000).samples
        // μ-law keeps about 2 % of a sample's magnitude (plus a small step near zero).
        for (sample, original) in zip(back.samples, expected) {
            #expect(abs(Int(sample) - Int(original)) <= abs(Int(original)) / 16 + 8)
        }
    }

    @Test func muLawRoundTripsEverySampleWithinItsStep() {
        for value in stride(from: -32768, through: 32767, by: 7) {
            let sample = Int16(value)
            let back = MuLaw.decode(byte: MuLaw.encode(sample: sample))
            #expect(abs(Int(back) - Int(sample)) <= max(8, abs(Int(sample)) / 16), "sample \(sample) came back as \(back)")
        }
        #expect(MuLaw.encode(sample: 0) == 0xFF)
        #expect(MuLaw.decode(byte: 0xFF) == 0)
    }
}
