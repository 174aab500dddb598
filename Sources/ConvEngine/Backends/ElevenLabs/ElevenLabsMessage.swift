/// One frame from an ElevenLabs agents server, decoded (docs/backends.md, "Wire facts").
/// Texts are sanitized; event ids are taken as numbers or numeric strings.
public enum ElevenLabsMessage: Sendable, Equatable {
    case metadata(conversationId: String, outputFormat: String?, inputFormat: String?)
    case userTranscript(text: String, eventId: Int?)
    case tentativeUserTranscript(text: String, eventId: Int?)
    case agentResponse(text: String, eventId: Int?)
    case agentResponseCorrection(original: String, corrected: String, eventId: Int?)
    case agentResponsePart(text: String, stage: String, eventId: Int?)
    /// `base64` is kept undecoded: most frames are only counted.
    case audio(base64: String, eventId: Int?)
    case interruption(eventId: Int?)
    case ping(eventId: Int?, pingMs: Int?)
    case clientToolCall(name: String, callId: String, parameters: String, eventId: Int?)
    case vadScore(Double)
    case tentativeAgentResponse(text: String)
    /// An MCP tool call in one state; `detail` is the parameters while awaiting approval, then
    /// the result or the error message.
    case mcpToolCall(name: String, callId: String, state: String, detail: String)
    case error(code: String, message: String)
    case unknown(type: String)
}
