/// The OpenAI Realtime protocol for one connection: frames → ``SessionEvent``s, the session's
/// messages → client events, and barge-in (truncate + cancel) when the user speaks over the agent.
public struct OpenAIRealtimeConversation: WireConversation {
    /// A quiet Realtime session sends nothing: WebSocket pings are the only sign of life.
    public static var serverKeepsAlive: Bool { false }

    public let options: OpenAIRealtimeOptions
    /// The response being generated, if any.
    private var activeResponse: String?
    /// The item carrying the agent audio now playing, and how much of it arrived.
    private var audioItem: String?
    private var audioItemMs = 0
    /// Input transcripts as they grow, by item.
    private var partialTranscripts: [String: String] = [:]

    public init(options: OpenAIRealtimeOptions) {
        self.options = options
    }

    public mutating func opening() -> [String] {
        [OpenAIRealtimeCodec.sessionUpdate(options)]
    }

    public mutating func receive(_ text: String) -> WireStep {
        do {
            return handle(try OpenAIRealtimeCodec.decode(text))
        } catch {
            return WireStep(events: [.malformed(detail: error.message)])
        }
    }

    mutating func handle(_ message: OpenAIRealtimeMessage) -> WireStep {
        switch message {
        case .sessionCreated(let id):
            return WireStep(events: [.connected(conversationId: id)])
        case .sessionUpdated, .ignored:
            return WireStep()
        case .speechStarted:
            var step = WireStep(events: [.userSpeechStarted])
            if activeResponse != nil {
                // Barge-in: keep only what was heard, and stop the rest being generated.
                if let item = audioItem { step.replies.append(OpenAIRealtimeCodec.truncate(itemId: item, audioEndMs: audioItemMs)) }
                step.replies.append(OpenAIRealtimeCodec.responseCancel())
                step.events.append(.interruption(eventId: nil))
                audioItem = nil
            }
            return step
        case .speechStopped:
            return WireStep(events: [.userSpeechStopped])
        case .inputTranscriptDelta(let item, let delta):
            let text = (partialTranscripts[item] ?? "") + delta
            partialTranscripts[item] = text
            return WireStep(events: [.userTranscript(text: text, isFinal: false)])
        case .inputTranscriptCompleted(let item, let transcript):
            partialTranscripts[item] = nil
            return WireStep(events: [.userTranscript(text: transcript, isFinal: true)])
        case .inputTranscriptFailed(let message):
            return WireStep(events: [.serverError(code: "transcription_failed", message: message)])
        case .responseCreated(let id):
            activeResponse = id
            return WireStep(events: [.agentThinking])
        case .textDelta(let response, let delta):
            return WireStep(events: [.agentTextDelta(responseId: response, text: delta)])
        case .textDone(let response, let text):
            return WireStep(events: [.agentTextDone(responseId: response, text: text)])
        case .audioDelta(_, let item, let base64):
            if item != audioItem {
                audioItem = item
                audioItemMs = 0
            }
            let bytes = Base64.decodedLength(base64)
            let ms = bytes * 500 / OpenAIRealtimeOptions.sampleRate
            audioItemMs += ms
            var step = WireStep(events: [.agentAudio(eventId: nil, bytes: bytes, durationMs: ms)])
            if options.keepAudio, let pcm = Base64.decode(base64) {
                step.agentAudio = AudioChunk(pcm: pcm, sampleRate: OpenAIRealtimeOptions.sampleRate)
            }
            return step
        case .audioDone:
            return WireStep(events: [.agentAudioDone])
        case .functionCall(let callId, let name, let arguments):
            let output = "no function \"\(name)\" is configured in convtui"
            return WireStep(
                events: [.toolCall(callId: callId, name: name, arguments: arguments), .toolResult(callId: callId, result: output, isError: true)],
                replies: [OpenAIRealtimeCodec.functionCallOutput(callId: callId, output: output), OpenAIRealtimeCodec.responseCreate()])
        case .responseDone(let id, let status, let input, let output):
            if activeResponse == id { activeResponse = nil }
            audioItem = nil
            var events: [SessionEvent.Kind] = []
            if input != nil || output != nil { events.append(.usage(inputTokens: input ?? 0, outputTokens: output ?? 0)) }
            switch status {
            case "completed", "cancelled": events.append(.agentAudioDone)
            default: events.append(.serverError(code: "response_\(status)", message: "response \(id) \(status)"))
            }
            return WireStep(events: events)
        case .rateLimits(let summary):
            return WireStep(events: [.rateLimits(summary: summary)])
        case .error(let code, let message):
            return WireStep(events: [.serverError(code: code, message: message)])
        case .unknown(let type):
            return WireStep(events: [.unknown(type: type)])
        }
    }

    public mutating func encode(_ message: OutgoingMessage) -> [String] {
        switch message {
        case .userText(let text): [OpenAIRealtimeCodec.textItem(text), OpenAIRealtimeCodec.responseCreate()]
        case .contextualUpdate(let text): [OpenAIRealtimeCodec.textItem(text, role: "system")]
        case .userActivity, .feedback, .toolApproval: []
        case .audio(let chunk): [OpenAIRealtimeCodec.append(Resampler.convert(chunk, to: OpenAIRealtimeOptions.sampleRate).pcm)]
        case .audioStreamEnded: options.serverVAD ? [] : [OpenAIRealtimeCodec.commit(), OpenAIRealtimeCodec.responseCreate()]
        case .toolResult(let id, let result, _): [OpenAIRealtimeCodec.functionCallOutput(callId: id, output: result), OpenAIRealtimeCodec.responseCreate()]
        }
    }
}
