/// What a session publishes for the screen: who it is, plus its reducer state.
/// An immutable value; copying it is cheap (the rings share storage until written).
public struct SessionSnapshot: Sendable, Equatable {
    /// 1-based position on the board.
    public let number: Int
    public let name: String
    public let state: SessionState
    /// The session log, if this session records.
    public let logPath: String?

    public init(number: Int, name: String, state: SessionState, logPath: String?) {
        self.number = number
        self.name = name
        self.state = state
        self.logPath = logPath
    }

    /// The headless `snapshot` line (also printed by `replay --headless`).
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("type", "snapshot"),
            ("session", .int(number)),
            ("name", .string(name)),
            ("backend", .string(state.backend)),
            ("phase", .string(state.phase.name)),
        ]
        if let activity = state.phase.activity { members.append(("activity", .string(activity.rawValue))) }
        if let detail = state.phase.detail { members.append(("reason", .string(detail))) }
        members += [
            ("conversation_id", .optional(state.conversationId)),
            ("run", .int(state.run)),
            ("counters", state.counters.json),
            ("last_ping_ms", state.lastPingMilliseconds.map(JSONValue.int) ?? .null),
            ("last_response_ms", state.lastResponseMilliseconds.map(JSONValue.int) ?? .null),
            ("last_error", .optional(state.lastError)),
            (
                "transcript",
                .array(
                    state.transcript.map {
                        .object([("role", .string($0.role.rawValue)), ("text", .string($0.text)), ("status", .string($0.status.rawValue))])
                    })
            ),
        ]
        return .object(members)
    }
}
