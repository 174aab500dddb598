/// What a session publishes for the screen: who it is, plus its reducer state.
/// An immutable value behind one reference: publishing, reading and dropping a snapshot
/// moves a single reference count, not one per string and ring in the state (those copies
/// showed up in engine-scale profiles, where a thousand sessions publish and are read).
public struct SessionSnapshot: Sendable, Equatable {
    @usableFromInline
    final class Storage: Sendable {
        @usableFromInline let number: Int
        @usableFromInline let name: String
        @usableFromInline let state: SessionState
        @usableFromInline let logPath: String?

        init(number: Int, name: String, state: SessionState, logPath: String?) {
            self.number = number
            self.name = name
            self.state = state
            self.logPath = logPath
        }
    }

    @usableFromInline let storage: Storage

    /// 1-based position on the board.
    @inlinable public var number: Int { storage.number }
    @inlinable public var name: String { storage.name }
    @inlinable public var state: SessionState { storage.state }
    /// The session log, if this session records.
    @inlinable public var logPath: String? { storage.logPath }

    public init(number: Int, name: String, state: SessionState, logPath: String?) {
        storage = Storage(number: number, name: name, state: state, logPath: logPath)
    }

    public static func == (lhs: SessionSnapshot, rhs: SessionSnapshot) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.number == rhs.number && lhs.name == rhs.name && lhs.logPath == rhs.logPath && lhs.state == rhs.state)
    }

    /// The headless `snapshot` line (also printed by `replay --headless`).
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("type", "snapshot")] + whoAndWhere(numberKey: "session")
        members += [
            ("counters", state.counters.json),
            ("last_ping_ms", state.lastPingMilliseconds.map(JSONValue.int) ?? .null),
            ("last_response_ms", state.lastResponseMilliseconds.map(JSONValue.int) ?? .null),
            ("last_error", .optional(state.lastError)),
            ("pending_tool_calls", .array(state.pendingToolCalls.map(\.json))),
            ("pending_approvals", .array(state.pendingApprovals.map(\.json))),
            ("recording_error", .optional(state.recordingIssue)),
            ("recording_lost_lines", .int(state.recordingLostLines)),
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

    /// The members every JSON view of a session begins with: its number (under `numberKey`),
    /// name, backend, phase (with activity and reason when it has them), conversation and run.
    func whoAndWhere(numberKey: String) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            (numberKey, .int(number)),
            ("name", .string(name)),
            ("backend", .string(state.backend)),
            ("phase", .string(state.phase.name)),
        ]
        if let activity = state.phase.activity { members.append(("activity", .string(activity.rawValue))) }
        if let detail = state.phase.detail { members.append(("reason", .string(detail))) }
        members += [("conversation_id", .optional(state.conversationId)), ("run", .int(state.run))]
        return members
    }
}
