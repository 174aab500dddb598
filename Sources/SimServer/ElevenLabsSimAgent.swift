import ConvEngine

/// One simulated ElevenLabs agent as its dashboard would configure it: who may connect, which
/// overrides a client may send, what it says first, which events it sends, its audio formats.
///
/// The rules it stands for, and their sources, are in docs/sim-server.md. An agent id the
/// server has no entry for is a public agent with these defaults.
public struct ElevenLabsSimAgent: Sendable, Equatable {
    /// The persona it plays; nil picks one by the agent id.
    public var persona: String?
    /// A private agent: connections need a signed URL (`conversation_signature`).
    public var requiresAuth = false
    /// Override fields a client may set, as paths (`agent.first_message`, `conversation.text_only`).
    /// None by default, as on a new agent.
    public var allowedOverrides: Set<String> = []
    /// Said when the conversation opens; `{{name}}` needs the dynamic variable `name`.
    public var firstMessage: String?
    /// The server events this agent sends; others are never sent.
    public var clientEvents: Set<String> = ElevenLabsSimAgent.simClientEvents
    public var userInputAudioFormat = "pcm_16000"
    public var agentOutputAudioFormat = "pcm_16000"

    public init() {}

    /// Every override path of the public contract (`ConversationConfigClientOverride`).
    public static let overridePaths: Set<String> = [
        "agent.first_message", "agent.language", "agent.prompt.prompt", "agent.prompt.llm", "agent.native_mcp_server_ids",
        "tts.voice_id", "tts.stability", "tts.speed", "tts.similarity_boost", "asr.keywords", "conversation.text_only",
        "conversation.client_events",
    ]

    /// The contract's default `client_events`, for an agent nobody configured.
    public static let contractDefaultClientEvents: Set<String> = [
        "audio", "interruption", "agent_response", "user_transcript", "tentative_user_transcript",
        "conversation_initiation_metadata", "ping",
    ]

    /// What the simulator's own agents send: the contract's default plus the events their
    /// behaviours need (tool calls, VAD scores, streamed parts and corrections, MCP approvals).
    public static let simClientEvents: Set<String> = contractDefaultClientEvents.union([
        "client_tool_call", "vad_score", "agent_chat_response_part", "agent_response_correction", "mcp_tool_call",
    ])

    /// The input formats the contract lists (`UserInputAudioFormat`).
    public static let audioFormats: Set<String> = ["pcm_8000", "pcm_16000", "pcm_22050", "pcm_24000", "pcm_44100", "pcm_48000", "ulaw_8000"]

    /// Agents from a JSON object of agent id → settings (the `--agents` file, docs/sim-server.md).
    public static func agents(json text: String) throws -> [String: ElevenLabsSimAgent] {
        guard case .object(let entries) = try JSONParser.parse(text) else { throw SimServerError("agents: not a JSON object") }
        var agents: [String: ElevenLabsSimAgent] = [:]
        for (id, settings) in entries {
            agents[id] = try agent(id: id, settings)
        }
        return agents
    }

    private static func agent(id: String, _ settings: JSONValue) throws -> ElevenLabsSimAgent {
        guard case .object(let members) = settings else { throw SimServerError("agents.\(id): not an object") }
        var agent = ElevenLabsSimAgent()
        func strings(_ key: String) throws -> Set<String> {
            guard let list = settings[key]?.arrayValue, let names = Optional(list.compactMap(\.stringValue)), names.count == list.count else {
                throw SimServerError("agents.\(id).\(key): not a list of strings")
            }
            return Set(names)
        }
        func string(_ key: String) throws -> String {
            guard let value = settings[key]?.stringValue else { throw SimServerError("agents.\(id).\(key): not a string") }
            return value
        }
        for (key, value) in members {
            switch key {
            case "persona":
                agent.persona = try string(key)
                guard Persona.named(agent.persona!) != nil else { throw SimServerError("agents.\(id).persona: no persona \(agent.persona!)") }
            case "private":
                guard let flag = value.boolValue else { throw SimServerError("agents.\(id).private: not true or false") }
                agent.requiresAuth = flag
            case "overrides":
                agent.allowedOverrides = try strings(key)
                if let unknown = agent.allowedOverrides.subtracting(overridePaths).first {
                    throw SimServerError("agents.\(id).overrides: unknown field \(unknown)")
                }
            case "first_message": agent.firstMessage = try string(key)
            case "client_events": agent.clientEvents = try strings(key)
            case "user_input_audio_format", "agent_output_audio_format":
                let format = try string(key)
                guard audioFormats.contains(format) else { throw SimServerError("agents.\(id).\(key): unknown format \(format)") }
                if key == "user_input_audio_format" { agent.userInputAudioFormat = format } else { agent.agentOutputAudioFormat = format }
            default:
                throw SimServerError("agents.\(id): unknown key \(key)")
            }
        }
        return agent
    }
}
