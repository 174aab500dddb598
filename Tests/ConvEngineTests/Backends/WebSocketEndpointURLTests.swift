@testable import ConvEngine
import Testing

/// Base URLs as users write them (issue 14, deliverable 7).
@Suite struct WebSocketEndpointURLTests {
    /// A query string in a base URL swallowed the path (`…/v1?x=1/realtime?model=m`).
    @Test func aBaseURLsQueryStaysTheQuery() {
        #expect(OpenAIRealtimeOptions(baseURL: "wss://h/v1?api-version=2", model: "m").realtimeURL == "wss://h/v1/realtime?api-version=2&model=m")
        #expect(OpenAIRealtimeOptions(baseURL: "wss://h/v1/?a=1#frag", model: "m").realtimeURL == "wss://h/v1/realtime?a=1&model=m")
        #expect(ElevenLabsOptions(baseURL: "https://h?region=eu", agentId: "a").conversationURL == "wss://h/v1/convai/conversation?region=eu&agent_id=a")
    }

    /// `:99999` was accepted and reached another port.
    @Test(arguments: [
        ("ws://127.0.0.1:99999/v1", false), ("ws://h:0", false), ("ws://h:65536", false), ("ws://h:-1", false), ("ws://h:8x", false),
        ("ws://h:", false), ("ws://h:65535/v1", true), ("ws://h/v1", true), ("wss://u:p@h/v1", true), ("ws://[::1]:8765/v1", true),
        ("ws://[::1]/v1", true), ("ws://h:1?x=a:99999", true),
    ])
    func portsOutsideOneTo65535AreRefused(url: String, valid: Bool) {
        #expect((WebSocketEndpoint.portProblem(url) == nil) == valid, "\(url)")
    }
}
