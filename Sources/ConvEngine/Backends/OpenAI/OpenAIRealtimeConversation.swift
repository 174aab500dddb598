/// The OpenAI Realtime protocol for one connection: frames → ``SessionEvent``s, the session's
/// messages → client events, with the turn-taking rules of the real service (docs/backends.md):
///
/// - **One response at a time.** A `response.create` while a response is active is refused
///   (`conversation_already_has_active_response`), so a typed line that arrives then waits, with
///   its item, and goes out on the `response.done`: each line gets its own answer, in order.
///   Function-call outputs go out after the `response.done` of the response that called them,
///   with one `response.create` for all of them. A call to a function in `manualTools` waits
///   for the operator's answer, and the outputs of its response wait with it.
/// - **Barge-in.** With server VAD and `interrupt_response` on, the server cancels the response
///   itself: the client only truncates the agent audio it received. Otherwise it also cancels.
///   Agent audio of an interrupted response is stale: audio events carry the response's number,
///   the interruption that number, and the session drops (and counts) what is at or below it.
/// - **Event ids.** Every client event carries an `event_id`; an `error` naming one is shown
///   against the action that caused it.
public struct OpenAIRealtimeConversation: WireConversation {
    /// A quiet Realtime session sends nothing: WebSocket pings are the only sign of life.
    public static var serverKeepsAlive: Bool { false }

    public let options: OpenAIRealtimeOptions
    /// True from our `response.create` (or the server's `response.created`) until `response.done`.
    private var responding = false
    /// The server's id of the response being generated, once announced.
    private var activeResponse: String?
    /// Turns waiting for the current response to end, oldest first.
    private var waiting: [PendingTurn] = []
    /// Function-call outputs waiting for the `response.done` of the response that called them.
    private var pendingOutputs: [(callId: String, output: String)] = []
    /// Manual function calls the operator has not answered yet; their response's outputs wait.
    private var awaitedCalls: Set<String> = []
    /// Responses numbered in the order they appear, for the stale-audio watermark.
    private var responseNumbers: [String: Int] = [:]
    /// The newest interrupted response's number: its audio, and any older, is stale.
    private var interruptedNumber = 0
    /// The item carrying the agent audio now playing, and how much of it arrived.
    private var audioItem: String?
    private var audioItemMs = 0
    /// Function names by call id, from the call's item (beta names them only there).
    private var functionNames: [String: String] = [:]
    /// Input transcripts as they grow, by item.
    private var partialTranscripts: [String: String] = [:]
    private var eventCounter = 0
    /// The client events that may still be named by an `error`, newest last.
    private var sentEvents: [(id: String, action: String)] = []

    /// Client events remembered for matching errors; errors name recent events.
    private static var rememberedEvents: Int { 64 }

    /// Something that needs a response of its own.
    private enum PendingTurn {
        /// A typed line: its item goes out with its `response.create`.
        case line(String)
        /// A response for what is already in the conversation (a committed audio turn, or a
        /// `response.create` the server refused while its own response was active).
        case respond
    }

    public init(options: OpenAIRealtimeOptions) {
        self.options = options
    }

    public mutating func opening() -> [String] {
        [OpenAIRealtimeCodec.sessionUpdate(options, eventId: nextEventId("session.update"))]
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
            return bargeIn()
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
            responding = true
            activeResponse = id
            _ = number(of: id)
            return WireStep(events: [.agentThinking])
        case .textDelta(let response, let delta):
            return WireStep(events: [.agentTextDelta(responseId: response, text: delta)])
        case .textDone(let response, let text):
            return WireStep(events: [.agentTextDone(responseId: response, text: text)])
        case .audioDelta(let response, let item, let base64):
            return audio(response: response, item: item, base64: base64)
        case .audioDone:
            return WireStep(events: [.agentAudioDone])
        case .functionCallStarted(let callId, let name):
            functionNames[callId] = name
            return WireStep()
        case .functionCall(let callId, let named, let arguments):
            // No function runs in convtui: the call is answered by the operator when listed in
            // manualTools, else with an error, once the response that made it is done.
            let itemName = functionNames.removeValue(forKey: callId)
            let name = named ?? itemName ?? "unnamed"
            if options.manualTools.contains(name) {
                awaitedCalls.insert(callId)
                return WireStep(events: [.toolCall(callId: callId, name: name, arguments: arguments)])
            }
            let output = "no function \"\(name)\" is configured in convtui"
            pendingOutputs.append((callId, output))
            return WireStep(events: [
                .toolCall(callId: callId, name: name, arguments: arguments), .toolResult(callId: callId, result: output, isError: true),
            ])
        case .responseDone(let id, let status, let input, let output, let reason, let detail):
            return responseDone(id: id, status: status, input: input, output: output, reason: reason, detail: detail)
        case .rateLimits(let summary):
            return WireStep(events: [.rateLimits(summary: summary)])
        case .error(let code, let message, let eventId):
            return error(code: code, message: message, eventId: eventId)
        case .unknown(let type):
            return WireStep(events: [.unknown(type: type)])
        }
    }

    public mutating func encode(_ message: OutgoingMessage) -> [String] {
        switch message {
        case .userText(let text):
            return request(.line(text))
        case .contextualUpdate(let text):
            // Context only: a system item, and no response.
            return [OpenAIRealtimeCodec.textItem(text, role: "system", eventId: nextEventId("contextual update"))]
        case .userActivity, .feedback, .toolApproval:
            return []
        case .audio(let chunk):
            return [OpenAIRealtimeCodec.append(
                Resampler.convert(chunk, to: OpenAIRealtimeOptions.sampleRate).pcm, eventId: nextEventId("audio append"))]
        case .audioStreamEnded:
            // Server VAD ends the turn on the silence that follows; manual commit ends it here.
            guard !options.serverVAD else { return [] }
            return [OpenAIRealtimeCodec.commit(eventId: nextEventId("audio commit"))] + request(.respond)
        case .toolResult(let id, let result, _):
            awaitedCalls.remove(id)
            pendingOutputs.append((id, result))
            return responding ? [] : nextResponse()
        }
    }

    // MARK: Responses

    /// Sends `turn` now if no response is active, else queues it for the next `response.done`.
    private mutating func request(_ turn: PendingTurn) -> [String] {
        waiting.append(turn)
        return responding ? [] : nextResponse()
    }

    /// The frames that start the next response, if anything waits for one: function outputs
    /// first (the model is waiting for them) once no manual call is unanswered, then the oldest
    /// queued turn.
    private mutating func nextResponse() -> [String] {
        var frames: [String] = []
        if !pendingOutputs.isEmpty, awaitedCalls.isEmpty {
            for (callId, output) in pendingOutputs {
                frames.append(OpenAIRealtimeCodec.functionCallOutput(callId: callId, output: output, eventId: nextEventId("tool result")))
            }
            pendingOutputs = []
        } else if !waiting.isEmpty {
            if case .line(let text) = waiting.removeFirst() {
                frames.append(OpenAIRealtimeCodec.textItem(text, eventId: nextEventId("message")))
            }
        } else {
            return []
        }
        responding = true
        frames.append(OpenAIRealtimeCodec.responseCreate(eventId: nextEventId("response request")))
        return frames
    }

    private mutating func responseDone(id: String, status: String, input: Int?, output: Int?, reason: String?, detail: String?) -> WireStep {
        responding = false
        activeResponse = nil
        audioItem = nil
        var events: [SessionEvent.Kind] = []
        if input != nil || output != nil { events.append(.usage(inputTokens: input ?? 0, outputTokens: output ?? 0)) }
        switch status {
        case "completed", "cancelled":
            events.append(.agentAudioDone)
        default:
            // `insufficient_quota` reads better than "response failed".
            let because = [reason, detail].compactMap { $0 }.joined(separator: ": ")
            events.append(.serverError(code: reason ?? "response_\(status)", message: "response \(id) \(status)\(because.isEmpty ? "" : ": \(because)")"))
        }
        return WireStep(events: events, replies: nextResponse())
    }

    /// An `error`, shown against the client event that caused it. A refused `response.create`
    /// is retried after the response that was active; any other refusal frees the next turn.
    private mutating func error(code: String, message: String, eventId: String?) -> WireStep {
        let refusedResponse = "conversation_already_has_active_response"
        let action: String
        var shown = message
        if let eventId, let index = sentEvents.lastIndex(where: { $0.id == eventId }) {
            action = sentEvents[index].action
            shown = TextSanitizer.sanitize("\(message) (in reply to our \(action), \(eventId))")
        } else if code == refusedResponse {
            // Only a response request is refused so; a server that names no event must not
            // leave the request waiting for good.
            action = "response request"
        } else {
            return WireStep(events: [.serverError(code: code, message: message)])
        }
        var step = WireStep(events: [.serverError(code: code, message: shown)])
        if action == "response request" {
            if code == refusedResponse {
                waiting.insert(.respond, at: 0)
                responding = true
            } else if activeResponse == nil {
                responding = false
                step.replies = nextResponse()
            }
        }
        return step
    }

    // MARK: Barge-in and audio

    /// The user speaks: over an active response, that is a barge-in.
    private mutating func bargeIn() -> WireStep {
        var step = WireStep(events: [.userSpeechStarted])
        guard let response = activeResponse else { return step }
        // Keep only the agent audio that was heard: no more than what arrived.
        if let item = audioItem {
            step.replies.append(OpenAIRealtimeCodec.truncate(itemId: item, audioEndMs: audioItemMs, eventId: nextEventId("truncate")))
        }
        // With interrupt_response the server has cancelled it already; a cancel would be refused.
        if !(options.serverVAD && options.interruptResponse) {
            step.replies.append(OpenAIRealtimeCodec.responseCancel(responseId: response, eventId: nextEventId("cancel")))
        }
        interruptedNumber = max(interruptedNumber, number(of: response))
        step.events.append(.interruption(eventId: interruptedNumber))
        audioItem = nil
        return step
    }

    private mutating func audio(response: String, item: String, base64: String) -> WireStep {
        let responseNumber = number(of: response)
        let bytes = Base64.decodedLength(base64)
        let ms = bytes * 500 / OpenAIRealtimeOptions.sampleRate
        var step = WireStep(events: [.agentAudio(eventId: responseNumber, bytes: bytes, durationMs: ms)])
        guard responseNumber > interruptedNumber else { return step }
        if item != audioItem {
            audioItem = item
            audioItemMs = 0
        }
        audioItemMs += ms
        if options.keepAudio, let pcm = Base64.decode(base64) {
            step.agentAudio = AgentAudio(AudioChunk(pcm: pcm, sampleRate: OpenAIRealtimeOptions.sampleRate), eventId: responseNumber)
        }
        return step
    }

    /// The response's number, given on first sight (1, 2, …).
    private mutating func number(of response: String) -> Int {
        if let known = responseNumbers[response] { return known }
        let next = responseNumbers.count + 1
        responseNumbers[response] = next
        return next
    }

    // MARK: Event ids

    /// A fresh `event_id`, remembered with what it was for.
    private mutating func nextEventId(_ action: String) -> String {
        eventCounter += 1
        let id = "convtui_\(eventCounter)"
        // Appends are not worth remembering: they fail only as a whole stream would.
        guard action != "audio append" else { return id }
        sentEvents.append((id, action))
        if sentEvents.count > Self.rememberedEvents { sentEvents.removeFirst() }
        return id
    }
}
