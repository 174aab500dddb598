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
    /// Approves (`approve`) or denies (`deny`) a waiting MCP tool call: `{"call_id":"…"}`.
    case approval(callId: String, approved: Bool)
    /// The user's like or dislike of the latest agent response: `{"like":true}`.
    case feedback(like: Bool)
    /// Ends the conversation from the user's side.
    case end
    /// An operator's mark in the session's log: `{"note":"…"}` (the note may be left out).
    case mark(note: String)

    /// The actions, as they appear in the path.
    public static let actions = [
        "start", "stop", "restart", "send", "context", "tool-answer", "approve", "deny", "feedback", "end", "mark",
    ]

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
        case "approve", "deny": return text("call_id").map { .approval(callId: $0, approved: action == "approve") }
        case "end": return .success(.end)
        case "mark":
            guard object["note"] != nil else { return .success(.mark(note: "")) }
            return text("note").map { .mark(note: $0) }
        case "feedback":
            guard let like = object["like"]?.boolValue else { return .failure(ControlError(.malformed, "\"like\" is missing or not a boolean")) }
            return .success(.feedback(like: like))
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

    /// The request's path action, as ``parse(action:body:)`` takes it.
    public var action: String {
        switch self {
        case .start: "start"
        case .stop: "stop"
        case .restart: "restart"
        case .send: "send"
        case .context: "context"
        case .toolAnswer: "tool-answer"
        case .approval(_, let approved): approved ? "approve" : "deny"
        case .feedback: "feedback"
        case .end: "end"
        case .mark: "mark"
        }
    }

    /// The request's JSON body, as ``parse(action:body:)`` takes it.
    public var body: JSONValue {
        switch self {
        case .start, .stop, .restart, .end: .object([])
        case .approval(let callId, _): .object([("call_id", .string(callId))])
        case .feedback(let like): .object([("like", .bool(like))])
        case .mark(let note): .object([("note", .string(note))])
        case .send(let text), .context(let text): .object([("text", .string(text))])
        case .toolAnswer(let callId, let result, let isError):
            .object([("call_id", .string(callId)), ("result", .string(result)), ("is_error", .bool(isError))])
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
        case .end: return session.endConversation() ? nil : ControlError(.conflict, "not running (\(phase))")
        case .mark(let note): return session.mark(note: note) ? nil : ControlError(.conflict, "no run has started yet")
        case .send(let text):
            // Typed by an operator (a console or a script), not spoken by the caller.
            return await Self.sending { () throws(SendError) in try await session.sendText(text, origin: .operator) }
        case .context(let text): return await Self.sending { () throws(SendError) in try await session.sendContextualUpdate(text) }
        case .toolAnswer(let callId, let result, let isError):
            guard session.snapshot.state.pendingToolCalls.contains(where: { $0.callId == callId }) else {
                return ControlError(.conflict, "no tool call \(TextSanitizer.sanitize(callId)) is waiting")
            }
            return await Self.sending { () throws(SendError) in
                try await session.sendToolResult(callId: callId, result: result, isError: isError)
            }
        case .approval(let callId, let approved):
            guard session.snapshot.state.pendingApprovals.contains(where: { $0.callId == callId }) else {
                return ControlError(.conflict, "no approval \(TextSanitizer.sanitize(callId)) is waiting")
            }
            return await Self.sending { () throws(SendError) in try await session.answerApproval(callId: callId, approved: approved) }
        case .feedback(let like): return await Self.sending { () throws(SendError) in try await session.sendFeedback(like: like) }
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

/// Sends control requests to one agent's sessions (`POST /v1/sessions/{n}/{action}`): how an
/// attached console starts, stops and talks to sessions it did not start.
public protocol AgentControl: Sendable {
    /// Carries out `request` on the agent's session `session`; nil when done, otherwise why
    /// not (the agent's refusal, or why it could not be reached).
    func perform(_ request: ControlRequest, session: Int) async -> String?
}
