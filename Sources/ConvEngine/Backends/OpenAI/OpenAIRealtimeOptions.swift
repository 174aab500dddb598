/// How one session talks to an OpenAI Realtime model.
public struct OpenAIRealtimeOptions: Sendable, Equatable {
    /// The base as the official SDKs take it, ending in `/v1`, e.g. `wss://api.openai.com/v1`.
    public var baseURL: String
    public var model: String
    /// From the environment only; sent as `Authorization: Bearer …`.
    public var apiKey: String?
    public var dialect: RealtimeDialect
    public var instructions: String?
    public var voice: String?
    /// `text` only, or `audio` (with its transcript).
    public var outputModalities: [String]
    /// True for server VAD; false means the client commits each audio turn itself.
    public var serverVAD: Bool
    /// With server VAD, whether the server cancels the response the user speaks over
    /// (`turn_detection.interrupt_response`, on by default); when it does, the client only truncates.
    public var interruptResponse: Bool
    /// Model for input transcription, or nil for none.
    public var transcriptionModel: String?
    /// Decode agent audio for saving (otherwise it is only counted).
    public var keepAudio: Bool
    /// Functions left for the operator to answer by hand; other calls get an error result.
    public var manualTools: Set<String>

    public init(
        baseURL: String = "wss://api.openai.com/v1", model: String = "gpt-realtime", apiKey: String? = nil,
        dialect: RealtimeDialect = .ga, instructions: String? = nil, voice: String? = nil,
        outputModalities: [String] = ["audio"], serverVAD: Bool = true, interruptResponse: Bool = true, transcriptionModel: String? = "whisper-1",
        keepAudio: Bool = false, manualTools: Set<String> = []
    ) {
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.dialect = dialect
        self.instructions = instructions
        self.voice = voice
        self.outputModalities = outputModalities
        self.serverVAD = serverVAD
        self.interruptResponse = interruptResponse
        self.transcriptionModel = transcriptionModel
        self.keepAudio = keepAudio
        self.manualTools = manualTools
    }

    /// Realtime audio is 24 kHz PCM16 mono in both dialects.
    public static let sampleRate = 24000

    /// The WebSocket URL for this model.
    public var realtimeURL: String {
        WebSocketEndpoint.joining(baseURL, path: "/realtime", query: "model=\(URLQuery.escape(model))")
    }
}
