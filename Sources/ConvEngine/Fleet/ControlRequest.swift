/// A control request to one of an agent's sessions (`POST /v1/sessions/{n}/{action}`), parsed
/// and checked before anything is done, so a malformed one changes nothing.
public enum ControlRequest: Sendable, Equatable {
    case start
    case stop
    case restart
    /// A typed user message: `{"text":"…"}`.
    case send(text: String)
    /// A contextual update: `{"text":"…"}`.
    case context(text: String)
    /// The answer to a waiting tool call: `{"call_id":"…","result":"…","is_error":false}`.
    case toolAnswer(callId: String, result: String, isError: Bool)

    /// The actions, as they appear in the path.
    public static let actions = ["start", "stop", "restart", "send", "context", "tool-answer"]

    /// The largest body a control request may have.
    public static let maximumBodyBytes = 64 << 10

    /// Parses `action` with its JSON `body` (empty for none); the error says what is wrong.
    public static func parse(action: String, body: [UInt8]) -> Result<ControlRequest, ControlError> {
        guard actions.contains(action) else {
            return .failure(ControlError(.notFound, "unknown action \"\(TextSanitizer.sanitize(action))\"; one of \(actions.joined(separator: ", "))"))
        }
        guard body.count <= maximumBodyBytes else {
            return .failure(ControlError(.tooLarge, "the body is over \(maximumBodyBytes) bytes"))
        }
        let object: JSONValue
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            object = .object([])
        } else {
            do { object = try JSONParser.parse(body) } catch {
                return .failure(ControlError(.malformed, "the body is not JSON: \(error)"))
            }
        }
        guard case .object = object else { return .failure(ControlError(.malformed, "the body is not a JSON object")) }
        func text(_ key: String) -> Result<String, ControlError> {
            guard let value = object[key]?.stringValue else {
                return .failure(ControlError(.malformed, "\"\(key)\" is missing or not a string"))
            }
            return .success(value)
        }
        switch action {
        case "start": return .success(.start)
        case "stop": return .success(.stop)
        case "restart": return .success(.restart)
        case "send": return text("text").map { .send(text: $0) }
        case "context": return text("text").map { .context(text: $0) }
        default:
            let isError: Bool
            switch object["is_error"] {
            case nil, .null?: isError = false
            case .bool(let value)?: isError = value
            default: return .failure(ControlError(.malformed, "\"is_error\" is not a boolean"))
            }
            return text("call_id").flatMap { callId in
                text("result").map { .toolAnswer(callId: callId, result: $0, isError: isError) }
            }
        }
    }

    /// Carries the request out on `session`; nil when done, otherwise why it could not be
    /// (the session is left as it was).
    public func perform(on session: ConversationSession) async -> ControlError? {
        let phase = session.snapshot.state.phase.name
        switch self {
        case .start: return session.start() ? nil : ControlError(.conflict, "already \(phase)")
        case .stop: return session.stop() ? nil : ControlError(.conflict, "not running (\(phase))")
        case .restart:
            session.restart()
            return nil
        case .send(let text): return await Self.sending { () throws(SendError) in try await session.sendText(text) }
        case .context(let text): return await Self.sending { () throws(SendError) in try await session.sendContextualUpdate(text) }
        case .toolAnswer(let callId, let result, let isError):
            guard session.snapshot.state.pendingToolCalls.contains(where: { $0.callId == callId }) else {
                return ControlError(.conflict, "no tool call \(TextSanitizer.sanitize(callId)) is waiting")
            }
            return await Self.sending { () throws(SendError) in
                try await session.sendToolResult(callId: callId, result: result, isError: isError)
            }
        }
    }

    private static func sending(_ body: () async throws(SendError) -> Void) async -> ControlError? {
        do {
            try await body()
            return nil
        } catch {
            return ControlError(.conflict, "\(error)")
        }
    }
}

/// Why a control request was refused, and the HTTP status that says so.
public struct ControlError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of refusal, each with its HTTP status.
    public enum Kind: Int, Sendable {
        case malformed = 400
        case notFound = 404
        /// The session is not in a state that allows it (a send to a stopped session).
        case conflict = 409
        case tooLarge = 413
    }

    public let kind: Kind
    public let description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    /// `{"error":"…"}`.
    public var json: JSONValue { .object([("error", .string(description))]) }
}
