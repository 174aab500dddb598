/// One turn (or note) in a conversation's transcript.
public struct TranscriptEntry: Sendable, Equatable {
    /// Who speaks: `operator` is a message the operator typed (``MessageOrigin``), `user` the caller.
    public enum Role: String, Sendable, CaseIterable {
        case user, `operator`, agent, tool, system, error
    }

    /// Where a turn is in its life.
    public enum Status: String, Sendable {
        /// A user transcript the server may still revise.
        case tentative
        /// Agent text still arriving; it grows in place.
        case streaming
        case final
        /// The user barged in; the agent turn was cut off.
        case interrupted
    }

    /// Position in the session's transcript, counted from 1 over the whole session.
    public let sequence: Int
    public let role: Role
    public var text: String
    public var status: Status
    /// Offset (µs) of the event that opened the entry.
    public let offset: Int64
    /// The server's response id for streamed agent text, to append deltas to the right turn.
    public let responseId: String?
}
