/// The size limits on text that the session log's writer and reader agree on, and that bound a
/// session's memory (docs/reliability.md, "Memory per session").
///
/// A server can send a 20 MiB `agent_response`; kept whole, forty of them took 918 MB and the
/// log line was longer than the reader accepts. So every string an event carries is cut to
/// ``eventBytes``: an event has at most three strings, so its log line stays well under
/// ``LineScanner/defaultMaxLineLength`` even with every byte escaped as `\"`. A transcript entry
/// (built from many deltas) is cut to ``transcriptEntryBytes``, an event kept for the inspector
/// to ``inspectorBytes``. Cut text ends with ``marker``.
public enum TextLimit {
    /// The most UTF-8 bytes of one string in an event (1 MiB), marker included.
    public static let eventBytes = 1 << 20
    /// The most UTF-8 bytes of one transcript entry (64 KiB), marker included.
    public static let transcriptEntryBytes = 64 << 10
    /// The most UTF-8 bytes of one string of an event kept in the inspector's ring (4 KiB).
    public static let inspectorBytes = 4 << 10
    /// What ends a cut text.
    public static let marker = " […truncated]"

    /// `text` if it fits in `limit` UTF-8 bytes, else its longest prefix of whole characters
    /// that fits together with ``marker``, followed by the marker.
    public static func capped(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        let room = max(0, limit - marker.utf8.count)
        // Whole characters only: a cut inside one would leave half of it.
        var end = text.startIndex
        var used = 0
        while end < text.endIndex {
            let next = text.index(after: end)
            used += text.utf8.distance(from: end, to: next)
            if used > room { break }
            end = next
        }
        return String(text[..<end]) + marker
    }

    /// Whether `text` was cut by ``capped(_:to:)``.
    public static func isCapped(_ text: String) -> Bool {
        text.hasSuffix(marker)
    }
}

extension SessionEvent.Kind {
    /// The event with each of its strings cut to `limit` bytes (see ``TextLimit``); the same
    /// event when every string fits, which is a length check per string.
    public func cappingText(to limit: Int = TextLimit.eventBytes) -> SessionEvent.Kind {
        func cap(_ text: String) -> String { TextLimit.capped(text, to: limit) }
        switch self {
        case .runStarted(let backend): return .runStarted(backend: cap(backend))
        case .connected(let id): return .connected(conversationId: cap(id))
        case .ended(let reason): return .ended(reason: cap(reason))
        case .failed(let error): return .failed(error: cap(error))
        case .userTranscript(let text, let isFinal): return .userTranscript(text: cap(text), isFinal: isFinal)
        case .userMessage(let text, let origin): return .userMessage(text: cap(text), origin: origin)
        case .contextualUpdate(let text): return .contextualUpdate(text: cap(text))
        case .toolResult(let id, let result, let isError): return .toolResult(callId: cap(id), result: cap(result), isError: isError)
        case .agentTextDelta(let id, let text): return .agentTextDelta(responseId: cap(id), text: cap(text))
        case .agentTextDone(let id, let text): return .agentTextDone(responseId: cap(id), text: text.map(cap))
        case .agentCorrection(let original, let corrected): return .agentCorrection(original: cap(original), corrected: cap(corrected))
        case .toolCall(let id, let name, let arguments): return .toolCall(callId: cap(id), name: cap(name), arguments: cap(arguments))
        case .serverError(let code, let message): return .serverError(code: cap(code), message: cap(message))
        case .rateLimits(let summary): return .rateLimits(summary: cap(summary))
        case .unknown(let type): return .unknown(type: cap(type))
        case .malformed(let detail): return .malformed(detail: cap(detail))
        case .mcpToolCall(let id, let name, let state, let detail):
            return .mcpToolCall(callId: cap(id), name: cap(name), state: cap(state), detail: cap(detail))
        case .toolApproval(let id, let approved): return .toolApproval(callId: cap(id), approved: approved)
        case .recordingStopped(let reason): return .recordingStopped(reason: cap(reason))
        case .alert(let rule, let raised, let reason): return .alert(rule: cap(rule), raised: raised, reason: cap(reason))
        case .mark(let note): return .mark(note: cap(note))
        case .stopRequested, .userSpeechStarted, .userSpeechStopped, .userAudio, .agentThinking, .agentAudio, .agentAudioDone,
            .interruption, .ping, .vadScore, .usage, .feedback, .recordingResumed, .turnMetrics:
            return self
        }
    }
}
