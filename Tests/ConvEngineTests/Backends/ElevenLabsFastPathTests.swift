@testable import ConvEngine
import Testing

/// The byte-level reading of `agent_response` and `ping` must never disagree with the general
/// decoder: on every input, receiving the bytes gives the same step as receiving the text.
@Suite struct ElevenLabsFastPathTests {
    /// The forms the fast path takes, as the sim-server (and ElevenLabs) write them.
    static let common = [
        #"{"type":"agent_response","agent_response_event":{"agent_response":"Sure, I can help with that.","event_id":42}}"#,
        #"{"type":"agent_response","agent_response_event":{"agent_response":"","event_id":0}}"#,
        #"{"type":"agent_response","agent_response_event":{"agent_response":"~ !#$%&'()*+,-./:;<=>?@[]^_`{|}","event_id":999999999999999}}"#,
        #"{"type":"ping","ping_event":{"event_id":7,"ping_ms":null}}"#,
        #"{"type":"ping","ping_event":{"event_id":8,"ping_ms":12}}"#,
    ]

    /// Near misses that must fall back to the general decoder, whatever it makes of them.
    static let others = [
        // Escapes, non-ASCII, control characters and bidi overrides in the text.
        #"{"type":"agent_response","agent_response_event":{"agent_response":"say \"hi\"","event_id":1}}"#,
        #"{"type":"agent_response","agent_response_event":{"agent_response":"back\\slash \n","event_id":1}}"#,
        #"{"type":"agent_response","agent_response_event":{"agent_response":"héllo ✓","event_id":1}}"#,
        "{\"type\":\"agent_response\",\"agent_response_event\":{\"agent_response\":\"tab\there\",\"event_id\":1}}",
        "{\"type\":\"agent_response\",\"agent_response_event\":{\"agent_response\":\"del\u{7F}\",\"event_id\":1}}",
        "{\"type\":\"agent_response\",\"agent_response_event\":{\"agent_response\":\"rtl\u{202E}x\",\"event_id\":1}}",
        // Numbers: leading zeros, too long, negative, fractions, exponents, strings, null.
        #"{"type":"agent_response","agent_response_event":{"agent_response":"a","event_id":007}}"#,
        #"{"type":"agent_response","agent_response_event":{"agent_response":"a","event_id":1234567890123456}}"#,
        #"{"type":"agent_response","agent_response_event":{"agent_response":"a","event_id":12345678901234567890123}}"#,
        #"{"type":"agent_response","agent_response_event":{"agent_response":"a","event_id":-3}}"#,
        #"{"type":"agent_response","agent_response_event":{"agent_response":"a","event_id":3.0}}"#,
        #"{"type":"agent_response","agent_response_event":{"agent_response":"a","event_id":3.5}}"#,
        #"{"type":"agent_response","agent_response_event":{"agent_response":"a","event_id":3e2}}"#,
        #"{"type":"agent_response","agent_response_event":{"agent_response":"a","event_id":"3"}}"#,
        #"{"type":"agent_response","agent_response_event":{"agent_response":"a","event_id":null}}"#,
        #"{"type":"ping","ping_event":{"event_id":1,"ping_ms":0012}}"#,
        #"{"type":"ping","ping_event":{"event_id":1,"ping_ms":-1}}"#,
        #"{"type":"ping","ping_event":{"event_id":1,"ping_ms":1.5}}"#,
        #"{"type":"ping","ping_event":{"event_id":1,"ping_ms":nul}}"#,
        #"{"type":"ping","ping_event":{"event_id":1,"ping_ms":"12"}}"#,
        // Other layouts: white space, key order, missing or extra members, other types.
        #"{"type": "ping","ping_event":{"event_id":1,"ping_ms":null}}"#,
        #"{"type":"ping","ping_event":{"event_id":1,"ping_ms":null}} "#,
        #"{"type":"ping","ping_event":{"ping_ms":null,"event_id":1}}"#,
        #"{"type":"ping","ping_event":{"event_id":1}}"#,
        #"{"type":"ping","ping_event":{"event_id":1,"ping_ms":null,"extra":1}}"#,
        #"{"type":"ping","ping_event":{"event_id":1,"ping_ms":null}}}"#,
        #"{"type":"ping","ping_event":{"event_id":1,"ping_ms":null}"#,
        #"{"type":"agent_response","agent_response_event":{"event_id":1,"agent_response":"a"}}"#,
        #"{"type":"agent_response","agent_response_event":{"agent_response":"a","event_id":1},"type":"ping"}"#,
        #"{"type":"agent_response","agent_response_event":{"agent_response":42,"event_id":1}}"#,
        #"{"type":"agent_response","agent_response_event":{"agent_response":"unterminated"#,
        #"{"type":"agent_response_correction","agent_response_correction_event":{"original_agent_response":"a","corrected_agent_response":"b","event_id":1}}"#,
        #"{"type":"pingx","ping_event":{"event_id":1,"ping_ms":null}}"#,
        #"{"type":"ping""#,
        #"{"type":""#,
        "",
        "not json",
    ]

    private func bytesStep(_ bytes: [UInt8], _ conversation: inout ElevenLabsConversation) -> WireStep {
        bytes.withUnsafeBytes { conversation.receive(bytes: $0) }
    }

    @Test func commonFramesTakeTheFastPath() {
        for frame in Self.common {
            let fast = Array(frame.utf8).withUnsafeBytes { ElevenLabsFastPath.decode($0) }
            #expect(fast != nil, "\(frame)")
            #expect(fast == (try? ElevenLabsCodec.decode(frame)), "\(frame)")
        }
    }

    @Test func nearMissesTakeTheGeneralPath() {
        for frame in Self.others {
            #expect(Array(frame.utf8).withUnsafeBytes { ElevenLabsFastPath.decode($0) } == nil, "\(frame)")
        }
    }

    @Test func bytesAndTextGiveTheSameSteps() {
        // One conversation per side, fed the same frames in the same order (state carries over).
        var byText = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a"))
        var byBytes = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a"))
        for frame in Self.common + Self.others + Self.common {
            #expect(bytesStep(Array(frame.utf8), &byBytes) == byText.receive(frame), "\(frame)")
        }
    }

    @Test func invalidUTF8IsRepairedAsTheTextPathWouldBe() {
        let frame = Array(#"{"type":"agent_response","agent_response_event":{"agent_response":"a"#.utf8) + [0xFF, 0xC3]
            + Array(#"","event_id":1}}"#.utf8)
        var byText = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a"))
        var byBytes = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a"))
        #expect(frame.withUnsafeBytes { ElevenLabsFastPath.decode($0) } == nil)
        #expect(bytesStep(frame, &byBytes) == byText.receive(String(decoding: frame, as: UTF8.self)))
    }
}
