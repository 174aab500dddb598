/// One `[[session]]` of a config file, resolved: defaults applied, key read from the
/// environment, script audio loaded.
public struct SessionConfig: Sendable, Equatable {
    public enum Backend: String, Sendable, CaseIterable {
        case sim
        case elevenlabs
        case openai
    }

    public var name: String
    public var backend: Backend
    /// Base URL as the official SDKs take it (see docs/config.md).
    public var url: String?
    public var agentId: String?
    public var model: String?
    /// The environment variable the key came from (for messages; the key itself is in `apiKey`).
    public var apiKeyEnv: String?
    public var apiKey: Secret?
    public var dialect: RealtimeDialect
    public var script: [ScriptStep]
    public var chunkMilliseconds: Int
    public var autostart: Bool
    public var recordDir: String?
    public var reconnect: ReconnectPolicy?
    /// How long an open socket may stay silent before the run fails as stalled; nil: never.
    public var receiveTimeout: Duration?
    public var allowInsecure: Bool
    public var firstMessage: String?
    public var prompt: String?
    public var language: String?
    public var voice: String?
    public var textOnly: Bool
    public var userId: String?
    public var tools: [String: String]
    /// ElevenLabs: values for the agent's `{{name}}` placeholders.
    public var dynamicVariables: [String: JSONValue] = [:]
    /// ElevenLabs: client tools the operator answers by hand.
    public var manualTools: Set<String> = []
    /// ElevenLabs: MCP tools approved without asking the operator.
    public var autoApprove: Set<String> = []
    public var modalities: [String]
    public var serverVAD: Bool
    /// OpenAI `turn_detection.interrupt_response`.
    public var interruptResponse: Bool
    /// Silence sent after each audio turn; nil: ``defaultTrailingSilenceMilliseconds``.
    public var trailingSilenceMilliseconds: Int?
    /// `audio_idle = "silence"`: stream silence whenever idle, like an open microphone.
    public var openMicrophone: Bool
    public var persona: String?
    public var seed: UInt64
    public var pace: Double

    public init(name: String, backend: Backend) {
        self.name = name
        self.backend = backend
        dialect = .ga
        script = []
        chunkMilliseconds = 100
        autostart = true
        allowInsecure = false
        textOnly = false
        tools = [:]
        modalities = ["audio"]
        serverVAD = true
        interruptResponse = true
        openMicrophone = false
        seed = 1
        pace = 1
        // The same default for both backends; the ElevenLabs specialization just names it.
        receiveTimeout = WebSocketTransport<ElevenLabsConversation>.defaultReceiveTimeout
    }

    /// Enough silence for a server VAD to end the turn (OpenAI's default `silence_duration_ms`
    /// is 500 ms of audio) with room to spare; none where the client ends turns itself.
    public var defaultTrailingSilenceMilliseconds: Int {
        switch backend {
        case .elevenlabs: 1500
        case .openai: serverVAD ? 1500 : 0
        case .sim: 0
        }
    }

    /// What the session sends between audio turns.
    public var idleAudio: IdleAudio {
        if openMicrophone { return .continuousSilence }
        let milliseconds = trailingSilenceMilliseconds ?? defaultTrailingSilenceMilliseconds
        return milliseconds > 0 ? .trailingSilence(milliseconds: milliseconds) : .nothing
    }

    /// The sample rate script audio is prepared at.
    public var audioRate: Int {
        switch backend {
        case .openai: OpenAIRealtimeOptions.sampleRate
        case .elevenlabs, .sim: ElevenLabsOptions.defaultSampleRate
        }
    }

    /// The transports for this session's runs.
    /// - Parameters:
    ///   - simTicker: the board's shared simulator timer (used by `sim` sessions).
    ///   - agentAudio: receives agent audio to save or play, if wanted.
    public func transportFactory(simTicker: SimTicker, agentAudio: (@Sendable (AgentAudio) -> Void)? = nil) -> TransportFactory {
        switch backend {
        case .sim:
            return SimTransport.factory(SimOptions(seed: seed, persona: persona.flatMap(Persona.named), pace: pace), ticker: simTicker)
        case .elevenlabs:
            let options = ElevenLabsOptions(
                baseURL: url ?? "wss://api.elevenlabs.io", agentId: agentId ?? "", apiKey: apiKey?.value, prompt: prompt,
                firstMessage: firstMessage, language: language, voiceId: voice, textOnly: textOnly, userId: userId,
                dynamicVariables: dynamicVariables, tools: tools, manualTools: manualTools, autoApprove: autoApprove,
                keepAudio: agentAudio != nil)
            return ElevenLabsTransport.factory(
                options, settings: .init(reconnect: reconnect, allowInsecure: allowInsecure, agentAudio: agentAudio, receiveTimeout: receiveTimeout))
        case .openai:
            let options = OpenAIRealtimeOptions(
                baseURL: url ?? "wss://api.openai.com/v1", model: model ?? "gpt-realtime", apiKey: apiKey?.value, dialect: dialect,
                instructions: prompt, voice: voice, outputModalities: modalities, serverVAD: serverVAD,
                interruptResponse: interruptResponse, keepAudio: agentAudio != nil, manualTools: manualTools)
            return OpenAIRealtimeTransport.factory(
                options, settings: .init(reconnect: reconnect, allowInsecure: allowInsecure, agentAudio: agentAudio, receiveTimeout: receiveTimeout))
        }
    }
}
