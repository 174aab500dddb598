/// How one session talks to an ElevenLabs agent.
public struct ElevenLabsOptions: Sendable, Equatable {
    /// The host as the official SDKs take it, e.g. `wss://api.elevenlabs.io`.
    public var baseURL: String
    public var agentId: String
    /// The API key (from the environment, never from a file). With a key the transport fetches
    /// a signed URL first; the key itself never travels on the WebSocket.
    public var apiKey: String?
    public var prompt: String?
    public var firstMessage: String?
    public var language: String?
    public var voiceId: String?
    public var textOnly: Bool
    public var userId: String?
    public var dynamicVariables: [String: String]
    /// Client tools this session answers, by name, with a fixed result. Other tool calls get
    /// an error result at once so the agent does not wait.
    public var tools: [String: String]
    /// Decode agent audio for saving (otherwise it is only counted).
    public var keepAudio: Bool

    public init(
        baseURL: String = "wss://api.elevenlabs.io", agentId: String, apiKey: String? = nil, prompt: String? = nil,
        firstMessage: String? = nil, language: String? = nil, voiceId: String? = nil, textOnly: Bool = false,
        userId: String? = nil, dynamicVariables: [String: String] = [:], tools: [String: String] = [:],
        keepAudio: Bool = false
    ) {
        self.baseURL = baseURL
        self.agentId = agentId
        self.apiKey = apiKey
        self.prompt = prompt
        self.firstMessage = firstMessage
        self.language = language
        self.voiceId = voiceId
        self.textOnly = textOnly
        self.userId = userId
        self.dynamicVariables = dynamicVariables
        self.tools = tools
        self.keepAudio = keepAudio
    }

    /// The rate we send user audio at until the server announces its own.
    public static let defaultSampleRate = 16000

    /// The public conversation URL for this agent (an `http(s)://` base, as the Python SDK
    /// takes it, becomes `ws(s)://`).
    public var conversationURL: String {
        var base = WebSocketEndpoint.base(baseURL)
        if base.hasPrefix("https://") { base = "wss://" + base.dropFirst(8) } else if base.hasPrefix("http://") { base = "ws://" + base.dropFirst(7) }
        return WebSocketEndpoint.joining(base, path: "/v1/convai/conversation", query: "agent_id=\(URLQuery.escape(agentId))")
    }

    /// The HTTP(S) URL that hands out signed WebSocket URLs for this agent.
    public var signedURLEndpoint: String {
        var base = WebSocketEndpoint.base(baseURL)
        if base.hasPrefix("wss://") { base = "https://" + base.dropFirst(6) } else if base.hasPrefix("ws://") { base = "http://" + base.dropFirst(5) }
        return WebSocketEndpoint.joining(base, path: "/v1/convai/conversation/get-signed-url", query: "agent_id=\(URLQuery.escape(agentId))")
    }
}
