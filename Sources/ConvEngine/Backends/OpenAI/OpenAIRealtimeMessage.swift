/// One server event of the OpenAI Realtime protocol, decoded, with GA and beta names folded
/// together. Texts are sanitized.
public enum OpenAIRealtimeMessage: Sendable, Equatable {
    case sessionCreated(id: String)
    case sessionUpdated
    case speechStarted(itemId: String?, audioStartMs: Int?)
    case speechStopped
    case inputTranscriptDelta(itemId: String, delta: String)
    case inputTranscriptCompleted(itemId: String, transcript: String)
    case inputTranscriptFailed(message: String)
    case responseCreated(id: String)
    case textDelta(responseId: String, delta: String)
    case textDone(responseId: String, text: String?)
    /// `base64` stays undecoded: most frames are only counted.
    case audioDelta(responseId: String, itemId: String, base64: String)
    case audioDone
    /// A function call's item: where beta names the function.
    case functionCallStarted(callId: String, name: String)
    /// `name` is absent in beta (see ``functionCallStarted(callId:name:)``).
    case functionCall(callId: String, name: String?, arguments: String)
    /// `reason` and `detail` say why a response did not complete (`status_details`).
    case responseDone(id: String, status: String, inputTokens: Int?, outputTokens: Int?, reason: String? = nil, detail: String? = nil)
    case rateLimits(summary: String)
    /// `eventId` names the client event that caused it, when the server knows (kept raw: it
    /// is matched against our own ids, never shown as is).
    case error(code: String, message: String, eventId: String? = nil)
    /// A known event that changes nothing we show (item and content-part bookkeeping).
    case ignored(type: String)
    case unknown(type: String)
}
