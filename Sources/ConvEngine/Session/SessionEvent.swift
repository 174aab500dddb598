/// One normalized thing that happened in a session, in the order the reducer consumed it.
///
/// Transports turn wire frames into these; the session stamps each with its run and a monotonic
/// offset, folds it into ``SessionState`` and appends it to the session log. Replay reads the
/// same values back, so the live and the replayed state are the same fold of the same list.
public struct SessionEvent: Sendable, Equatable {
    /// Microseconds since the session object was created (monotonic clock).
    public var offset: Int64
    /// The run (start) this event belongs to; events of any other run are ignored.
    public var run: Int
    public var kind: Kind

    public init(offset: Int64, run: Int, kind: Kind) {
        self.offset = offset
        self.run = run
        self.kind = kind
    }

    /// Which way an event went.
    public enum Direction: String, Sendable {
        /// From the server (or the simulator) to us.
        case incoming = "in"
        /// From us to the server.
        case outgoing = "out"
        /// The session's own lifecycle.
        case local
    }

    /// What happened. Text payloads are already sanitized (see ``TextSanitizer``).
    public enum Kind: Sendable, Equatable {
        // Lifecycle.
        case runStarted(backend: String)
        case connected(conversationId: String)
        case stopRequested
        case ended(reason: String)
        case failed(error: String)
        // The user's side.
        case userSpeechStarted
        case userSpeechStopped
        case userTranscript(text: String, isFinal: Bool)
        /// A typed message; `origin` says whether the caller's side or the operator sent it.
        case userMessage(text: String, origin: MessageOrigin = .caller)
        case contextualUpdate(text: String)
        case userAudio(bytes: Int, durationMs: Int)
        case toolResult(callId: String, result: String, isError: Bool)
        // The agent's side.
        case agentThinking
        case agentTextDelta(responseId: String, text: String)
        case agentTextDone(responseId: String, text: String?)
        case agentCorrection(original: String, corrected: String)
        case agentAudio(eventId: Int?, bytes: Int, durationMs: Int)
        case agentAudioDone
        case interruption(eventId: Int?)
        case toolCall(callId: String, name: String, arguments: String)
        /// An ElevenLabs MCP tool call in one of its states (`awaiting_approval`, `loading`,
        /// `success`, `failure`); `detail` is the result or the error, if any.
        case mcpToolCall(callId: String, name: String, state: String, detail: String)
        /// Our answer to an MCP tool call awaiting approval.
        case toolApproval(callId: String, approved: Bool)
        /// The user's like or dislike of an agent response (nil: the latest).
        case feedback(eventId: Int?, like: Bool)
        // The connection.
        case ping(eventId: Int?, latencyMs: Int?)
        case vadScore(Double)
        case serverError(code: String, message: String)
        case rateLimits(summary: String)
        case usage(inputTokens: Int, outputTokens: Int)
        case unknown(type: String)
        case malformed(detail: String)
        // The session's own log.
        /// Log lines are not being written: the OS reason of a failed write, or a disk too
        /// slow for the session's outbox.
        case recordingStopped(reason: String)
        /// Log lines are written again; `lostLines` lines between the two are not in the log.
        case recordingResumed(lostLines: Int)
        // What the session measured and noticed (log format v2).
        /// A completed turn's stages, measured from the offsets of the events before it.
        indirect case turnMetrics(TurnMetrics)
        /// An alert rule of ``AlertRules`` started (`raised`) or stopped firing; `reason` says why.
        case alert(rule: String, raised: Bool, reason: String)
        /// The operator marked this moment (`m` in the console, `mark` headless); `note` may be empty.
        case mark(note: String)

        /// The event's type name in logs and headless output.
        public var typeName: String {
            switch self {
            case .runStarted: "run_started"
            case .connected: "connected"
            case .stopRequested: "stop_requested"
            case .ended: "ended"
            case .failed: "failed"
            case .userSpeechStarted: "user_speech_started"
            case .userSpeechStopped: "user_speech_stopped"
            case .userTranscript: "user_transcript"
            case .userMessage: "user_message"
            case .contextualUpdate: "contextual_update"
            case .userAudio: "user_audio"
            case .toolResult: "tool_result"
            case .agentThinking: "agent_thinking"
            case .agentTextDelta: "agent_text_delta"
            case .agentTextDone: "agent_text_done"
            case .agentCorrection: "agent_correction"
            case .agentAudio: "agent_audio"
            case .agentAudioDone: "agent_audio_done"
            case .interruption: "interruption"
            case .toolCall: "tool_call"
            case .mcpToolCall: "mcp_tool_call"
            case .toolApproval: "tool_approval"
            case .feedback: "feedback"
            case .ping: "ping"
            case .vadScore: "vad_score"
            case .serverError: "server_error"
            case .rateLimits: "rate_limits"
            case .usage: "usage"
            case .unknown: "unknown_event"
            case .malformed: "malformed_event"
            case .recordingStopped: "recording_stopped"
            case .recordingResumed: "recording_resumed"
            case .turnMetrics: "turn_metrics"
            case .alert: "alert"
            case .mark: "mark"
            }
        }

        /// `ended` or `failed`: the last event of a run.
        public var endsRun: Bool {
            switch self {
            case .ended, .failed: true
            default: false
            }
        }

        public var direction: Direction {
            switch self {
            case .runStarted, .stopRequested, .ended, .failed, .recordingStopped, .recordingResumed, .turnMetrics, .alert, .mark: .local
            case .userMessage, .contextualUpdate, .userAudio, .toolResult, .toolApproval, .feedback: .outgoing
            default: .incoming
            }
        }

        /// A one-line human summary of the payload, for the event inspector.
        public var summary: String {
            switch self {
            case .runStarted(let backend): backend
            case .connected(let id): id
            case .stopRequested, .userSpeechStarted, .userSpeechStopped, .agentThinking, .agentAudioDone: ""
            case .ended(let reason): reason
            case .failed(let error): error
            case .userTranscript(let text, let isFinal): (isFinal ? "" : "(tentative) ") + text
            case .userMessage(let text, let origin): origin == .operator ? "(operator) \(text)" : text
            case .contextualUpdate(let text): text
            case .userAudio(let bytes, let ms): "\(bytes) B, \(ms) ms"
            case .toolResult(let id, let result, let isError): "\(id) \(isError ? "error: " : "")\(result)"
            case .agentTextDelta(let id, let text): "\(id) \(text)"
            case .agentTextDone(let id, let text): "\(id) \(text ?? "")"
            case .agentCorrection(let original, let corrected): "\(original) → \(corrected)"
            case .agentAudio(let id, let bytes, let ms): "#\(id.map(String.init) ?? "-") \(bytes) B, \(ms) ms"
            case .interruption(let id): "#\(id.map(String.init) ?? "-")"
            case .toolCall(let id, let name, let args): "\(id) \(name)(\(args))"
            case .mcpToolCall(let id, let name, let state, let detail): "\(id) \(name) \(state)\(detail.isEmpty ? "" : ": \(detail)")"
            case .toolApproval(let id, let approved): "\(id) \(approved ? "approved" : "denied")"
            case .feedback(let id, let like): "#\(id.map(String.init) ?? "latest") \(like ? "like" : "dislike")"
            case .ping(let id, let ms): "#\(id.map(String.init) ?? "-") \(ms.map { "\($0) ms" } ?? "no latency")"
            case .vadScore(let score): String(format2: score)
            case .serverError(let code, let message): "\(code): \(message)"
            case .rateLimits(let summary): summary
            case .usage(let input, let output): "in \(input) / out \(output) tokens"
            case .unknown(let type): type
            case .malformed(let detail): detail
            case .recordingStopped(let reason): reason
            case .recordingResumed(let lost): "\(lost) lines lost"
            case .turnMetrics(let turn): turn.summary
            case .alert(let rule, let raised, let reason): "\(rule) \(raised ? "raised" : "cleared"): \(reason)"
            case .mark(let note): note
            }
        }
    }
}

extension String {
    /// `value` with two decimals, without Foundation's `String(format:)`.
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let fraction = magnitude % 100
        self = "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
