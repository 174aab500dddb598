/// Something the operator can ask of a live session. The console's keys, headless stdin and
/// the ``LiveDispatcher`` all speak in these.
///
/// A new verb is one case here, one line in ``LiveDispatcher/run(_:on:text:)``, one binding in
/// ``Keymap/live`` and one line in ``HeadlessCommand/verbs`` (docs/console.md, "Adding a live
/// command").
package enum LiveVerb: String, CaseIterable, Sendable {
    case start, stop, restart
    /// A typed user message; carries text.
    case send
    /// Background information for the agent, answered by nothing; carries text.
    case context
    /// The result of the oldest pending client tool call (or of the call whose id starts the text).
    case tool
    /// Approves or denies the oldest pending MCP tool call (or the one whose id is the text).
    case approve, deny
    /// The user's like or dislike of the latest agent response.
    case like, dislike
    /// Ends the conversation from this side.
    case end
    /// Marks the moment in the session's log; carries an optional note (an operator event).
    case mark
    /// The user is typing (ElevenLabs `user_activity`); sent while the operator types a message.
    case activity

    /// The verb capitalised, for questions ("Stop all 4 sessions?").
    package var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

    /// What a prompt for this verb's text calls it ("message to 2 ava ›").
    package var promptNoun: String {
        switch self {
        case .send: "message"
        case .context: "context"
        case .tool: "tool result"
        case .mark: "mark note"
        default: rawValue
        }
    }
}
