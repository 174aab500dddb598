/// One thing the operator asked of live sessions: a verb, the sessions it is for, and its
/// text (empty for verbs that carry none).
package struct LiveCommand: Equatable, Sendable {
    package let verb: LiveVerb
    package let target: Target
    package let text: String

    /// Which sessions a command is for.
    package enum Target: Equatable, Sendable {
        /// The session at this index (0-based).
        case session(Int)
        /// Every session of the board.
        case all
    }

    package init(_ verb: LiveVerb, _ target: Target, text: String = "") {
        self.verb = verb
        self.target = target
        self.text = text
    }
}
