/// The ElevenLabs agents protocol for one connection: frames → ``SessionEvent``s, with the
/// replies the protocol requires at once (pong, tool results).
///
/// Interruptions and audio are reported faithfully with their event ids; the reducer keeps
/// the per-session watermark and drops stale audio. The watermark is mirrored here only to
/// keep stale audio out of a saved WAV.
public struct ElevenLabsConversation: WireConversation {
    /// The server sends a `ping` event every few seconds, silence or not.
    public static var serverKeepsAlive: Bool { true }

    public let options: ElevenLabsOptions
    /// Announced by the server; PCM16 at 16 kHz until then.
    public private(set) var inputRate = ElevenLabsOptions.defaultSampleRate
    /// User audio goes out as μ-law when the server asks for `ulaw_8000`.
    public private(set) var inputIsMuLaw = false
    public private(set) var outputRate = ElevenLabsOptions.defaultSampleRate
    /// 2 for PCM16, 1 for μ-law (counted, never decoded).
    private var outputBytesPerSample = 2
    private var lastInterruptId: Int?
    /// The last response streamed as parts, so its final `agent_response` is not shown twice.
    private var lastStreamedResponse: Int?
    /// The latest agent response's event id, which feedback without an id rates.
    private var lastResponseEventId: Int?

    public init(options: ElevenLabsOptions) {
        self.options = options
    }

    public mutating func opening() -> [String] {
        [ElevenLabsCodec.initiation(options)]
    }

    public mutating func receive(_ text: String) -> WireStep {
        let message: ElevenLabsMessage
        do {
            message = try ElevenLabsCodec.decode(text)
        } catch {
            return WireStep(events: [.malformed(detail: error.message)])
        }
        return handle(message)
    }

    public mutating func receive(bytes: UnsafeRawBufferPointer) -> WireStep {
        if let message = ElevenLabsFastPath.decode(bytes) { return handle(message) }
        return receive(String(decoding: bytes, as: UTF8.self))
    }

    private static func responseId(_ eventId: Int?) -> String {
        "el_\(eventId.map(String.init) ?? "-")"
    }

    mutating func handle(_ message: ElevenLabsMessage) -> WireStep {
        switch message {
        case .metadata(let id, let output, let input):
            var events: [SessionEvent.Kind] = [.connected(conversationId: id)]
            if let rate = ElevenLabsCodec.pcmRate(output) {
                outputRate = rate
                outputBytesPerSample = 2
            } else if output == "ulaw_8000" {
                outputRate = 8000
                outputBytesPerSample = 1
            } else if let output {
                events.append(.serverError(code: "audio_format", message: "unknown agent audio format \(TextSanitizer.sanitize(output))"))
            }
            if let rate = ElevenLabsCodec.pcmRate(input) {
                inputRate = rate
                inputIsMuLaw = false
            } else if input == "ulaw_8000" {
                inputRate = 8000
                inputIsMuLaw = true
            } else if let input {
                events.append(.serverError(code: "audio_format", message: "user audio format \(TextSanitizer.sanitize(input)) is not supported; sending PCM"))
            }
            lastInterruptId = nil
            return WireStep(events: events)
        case .userTranscript(let text, _):
            return WireStep(events: [.userTranscript(text: text, isFinal: true)])
        case .tentativeUserTranscript(let text, _):
            return WireStep(events: [.userTranscript(text: text, isFinal: false)])
        case .agentResponse(let text, let eventId):
            if let eventId { lastResponseEventId = eventId }
            if let eventId, eventId == lastStreamedResponse { return WireStep() }
            return WireStep(events: [.agentTextDone(responseId: Self.responseId(eventId), text: text)])
        case .agentResponseCorrection(let original, let corrected, _):
            return WireStep(events: [.agentCorrection(original: original, corrected: corrected)])
        case .agentResponsePart(let text, let stage, let eventId):
            let id = Self.responseId(eventId)
            switch stage {
            case "start": return WireStep(events: text.isEmpty ? [.agentThinking] : [.agentTextDelta(responseId: id, text: text)])
            case "stop":
                lastStreamedResponse = eventId
                if let eventId { lastResponseEventId = eventId }
                return WireStep(events: text.isEmpty ? [.agentTextDone(responseId: id, text: nil)] : [.agentTextDelta(responseId: id, text: text), .agentTextDone(responseId: id, text: nil)])
            default: return WireStep(events: [.agentTextDelta(responseId: id, text: text)])
            }
        case .audio(let base64, let eventId):
            let bytes = Base64.decodedLength(base64)
            let durationMs = bytes * 1000 / max(1, outputRate * outputBytesPerSample)
            var step = WireStep(events: [.agentAudio(eventId: eventId, bytes: bytes, durationMs: durationMs)])
            let stale = eventId.map { id in lastInterruptId.map { id <= $0 } ?? false } ?? false
            if options.keepAudio, !stale, let decoded = Base64.decode(base64) {
                // `ulaw_8000` (telephony) is decoded to PCM16 here, once, for every listener.
                let chunk = outputBytesPerSample == 2 ? AudioChunk(pcm: decoded, sampleRate: outputRate) : MuLaw.decode(decoded, sampleRate: outputRate)
                step.agentAudio = AgentAudio(chunk, eventId: eventId)
            }
            return step
        case .interruption(let eventId):
            if let eventId { lastInterruptId = max(lastInterruptId ?? eventId, eventId) }
            return WireStep(events: [.interruption(eventId: eventId)])
        case .ping(let eventId, let pingMs):
            return WireStep(events: [.ping(eventId: eventId, latencyMs: pingMs)], replies: [ElevenLabsCodec.pong(eventId: eventId)])
        case .clientToolCall(let name, let callId, let parameters, _):
            if options.manualTools.contains(name), options.tools[name] == nil {
                return WireStep(events: [.toolCall(callId: callId, name: name, arguments: parameters)])
            }
            let configured = options.tools[name]
            let result = configured ?? "no client tool \"\(name)\" is configured in convtui"
            let isError = configured == nil
            return WireStep(
                events: [.toolCall(callId: callId, name: name, arguments: parameters), .toolResult(callId: callId, result: result, isError: isError)],
                replies: [ElevenLabsCodec.toolResult(callId: callId, result: result, isError: isError)])
        case .mcpToolCall(let name, let callId, let state, let detail):
            let event = SessionEvent.Kind.mcpToolCall(callId: callId, name: name, state: state, detail: detail)
            guard state == "awaiting_approval", options.autoApprove.contains(name) else { return WireStep(events: [event]) }
            return WireStep(
                events: [event, .toolApproval(callId: callId, approved: true)],
                replies: [ElevenLabsCodec.toolApproval(callId: callId, approved: true)])
        case .vadScore(let score):
            return WireStep(events: [.vadScore(score)])
        case .tentativeAgentResponse:
            return WireStep(events: [.agentThinking])
        case .error(let code, let message):
            return WireStep(events: [.serverError(code: code, message: message)])
        case .unknown(let type):
            return WireStep(events: [.unknown(type: type)])
        }
    }

    public mutating func encode(_ message: OutgoingMessage) -> [String] {
        switch message {
        case .userText(let text): [ElevenLabsCodec.userMessage(text)]
        case .contextualUpdate(let text): [ElevenLabsCodec.contextualUpdate(text)]
        case .userActivity: [ElevenLabsCodec.userActivity()]
        case .audio(let chunk):
            if inputIsMuLaw {
                [ElevenLabsCodec.audioChunk(MuLaw.encode(Resampler.convert(chunk, to: inputRate)))]
            } else {
                [ElevenLabsCodec.audioChunk(Resampler.convert(chunk, to: inputRate).pcm)]
            }
        // The server detects the end of a turn itself.
        case .audioStreamEnded: []
        case .toolResult(let id, let result, let isError): [ElevenLabsCodec.toolResult(callId: id, result: result, isError: isError)]
        case .feedback(let eventId, let like): (eventId ?? lastResponseEventId).map { [ElevenLabsCodec.feedback(eventId: $0, like: like)] } ?? []
        case .toolApproval(let callId, let approved): [ElevenLabsCodec.toolApproval(callId: callId, approved: approved)]
        }
    }
}
