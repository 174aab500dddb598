import ConvEngine
import Foundation
import Testing

/// Every ElevenLabs server event type the vendor declares (the official Python SDK's types and
/// the public AsyncAPI contract; `scripts/conformance-elevenlabs.py` writes the fixtures) is
/// either decoded or deliberately ignored, so a new vendor event cannot slip by unnoticed.
@Suite struct ElevenLabsConformanceTests {
    private static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/conformance/elevenlabs")

    /// Types convtui does not decode, and why: they are counted as unknown events, never fatal.
    static let ignored: [String: String] = [
        "agent_reasoning_response_part": "reasoning text, not shown",
        "agent_response_complete": "SDK only, no contract schema; the response's end shows through agent_response",
        "agent_response_metadata": "SDK only, no contract schema",
        "agent_tool_request": "server-side tool progress",
        "agent_tool_response": "server-side tool progress",
        "agent_tool_response_full_payload": "server-side tool progress",
        "agent_typing": "chat-mode typing indicator",
        "asr_initiation_metadata": "speech recognizer metadata",
        "client_error": "SDK only, no contract schema",
        "context_usage": "LLM context figures",
        "dtmf_request": "telephony only",
        "external_agent_connected": "hand-off to a human agent, not modelled",
        "external_agent_disconnected": "hand-off to a human agent, not modelled",
        "guardrail_triggered": "no payload beyond its type",
        "internal_turn_probability": "internal turn-taking figure",
        "mcp_connection_status": "MCP server status, not per call",
        "rich_content": "UI components for chat widgets",
    ]

    static func fixtures() throws -> [(name: String, text: String)] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            .filter { $0.hasSuffix(".json") && $0 != "index.json" }
            .map { ($0, try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)) }
    }

    @Test func everyDeclaredTypeHasAFixture() throws {
        let index = try JSONParser.parse(String(contentsOf: Self.directory.appendingPathComponent("index.json"), encoding: .utf8))
        guard case .object(let types)? = index["types"] else {
            Issue.record("index.json has no types")
            return
        }
        let names = Set(try Self.fixtures().map { String($0.name.prefix { $0 != "." }) })
        #expect(types.count >= 30)
        for (type, _) in types {
            #expect(names.contains(type), "no fixture for \(type)")
        }
    }

    @Test func everyFixtureIsDecodedOrIgnored() throws {
        var conversation = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a"))
        for (name, text) in try Self.fixtures() {
            let type = try #require(JSONParser.parse(text)["type"]?.stringValue)
            let message: ElevenLabsMessage
            do {
                message = try ElevenLabsCodec.decode(text)
            } catch {
                Issue.record("\(name): \(error.message)")
                continue
            }
            if case .unknown = message {
                #expect(Self.ignored[type] != nil, "\(name): \(type) is neither decoded nor on the ignore list")
            } else {
                #expect(Self.ignored[type] == nil, "\(name): \(type) is decoded, take it off the ignore list")
                let events = conversation.receive(text).events
                #expect(!events.isEmpty, "\(name) gave no event")
                #expect(!events.contains { if case .malformed = $0 { true } else { false } }, "\(name): \(events)")
            }
        }
    }
}
