/// What a WebSocket close code means for a conversation.
///
/// Codes and their meaning follow docs/backends.md ("Wire facts"); the recoverable set is the one the official
/// OpenAI Python client reconnects on.
public enum CloseCode {
    /// Codes after which a reconnect may help (a new conversation, never a resume).
    public static let recoverable: Set<Int> = [1001, 1005, 1006, 1011, 1012, 1013, 1015]

    /// How a close ended the run: a normal end, or a failure (and whether to retry it).
    public enum Outcome: Sendable, Equatable {
        case ended(reason: String)
        case failed(error: String, recoverable: Bool)
    }

    /// The outcome of a close with `code` (nil: the connection dropped without a close frame).
    public static func outcome(code: Int?, reason: String?) -> Outcome {
        let detail = reason.map(TextSanitizer.sanitize).flatMap { $0.isEmpty ? nil : $0 }
        func with(_ text: String) -> String { detail.map { "\(text): \($0)" } ?? text }
        guard let code else {
            return .failed(error: "connection lost (no close frame)", recoverable: true)
        }
        let recoverable = Self.recoverable.contains(code)
        switch code {
        case 1000: return .ended(reason: with("closed by server (1000)"))
        case 1001: return .failed(error: with("server going away (1001)"), recoverable: true)
        case 1002: return .failed(error: with("closed by server: protocol error or no user input (1002)"), recoverable: false)
        case 1005: return .failed(error: with("closed without a status (1005)"), recoverable: true)
        case 1006: return .failed(error: with("connection lost (1006)"), recoverable: true)
        case 1008: return .failed(error: with("rejected by server: bad input or authentication (1008)"), recoverable: false)
        case 1009: return .failed(error: with("message too big (1009)"), recoverable: false)
        case 1011: return .failed(error: with("server internal error (1011)"), recoverable: true)
        case 1012: return .failed(error: with("server restarting (1012)"), recoverable: true)
        case 1013: return .failed(error: with("server busy, try again later (1013)"), recoverable: true)
        default: return .failed(error: with("closed by server (\(code))"), recoverable: recoverable)
        }
    }
}
