/// What keys mean right now. Each mode has its own handling in ``ConsoleUpdate``.
package enum ConsoleMode: Equatable, Sendable {
    /// Keys go through the ``Keymap``.
    case normal
    /// Typing text at a prompt; Enter hands it to what the prompt is for, Esc cancels.
    case prompt(Prompt, InputLine)
    /// The help overlay; any key closes it.
    case help
    /// The alert list overlay (every alert firing, with times and reasons); any key closes it.
    case alerts
    /// A yes/no question before an action that touches every pane or ends the console.
    case confirm(Confirmation)
    /// The event inspector has the keys: they move through its events, Enter opens one.
    case inspector
    /// The list of event types the inspector shows or hides (`f`); `cursor` is the type under
    /// the cursor, and `fromInspector` whether keys go back to the inspector when it closes.
    case eventTypes(cursor: Int, fromInspector: Bool)
    /// One event's whole JSON, pretty-printed (Enter in the inspector), from line `top`.
    case eventDetail(number: Int, top: Int)

    /// Whether the mode draws a box over the panes (drawn whole every frame).
    package var isOverlay: Bool {
        switch self {
        case .help, .alerts, .eventTypes, .eventDetail: true
        case .normal, .prompt, .confirm, .inspector: false
        }
    }

    /// What typed text is for.
    package enum Prompt: Equatable, Sendable {
        /// The text of a live verb for the focused session (`send`).
        case text(LiveVerb)
        /// A replay time to go to (`mm:ss`, `h:mm:ss` or seconds).
        case time
        /// A search over transcripts, or the table's filter while the table shows.
        case search
        /// A pane to go to, by number or name.
        case pane
        /// The inspector's regex filter over event types and payloads.
        case inspector
    }

    /// An action that needs a yes first.
    package enum Confirmation: Equatable, Sendable {
        /// A live verb for every session.
        case all(LiveVerb)
        case quit

        /// The question, as the prompt line shows it.
        package func question(paneCount: Int, activeCount: Int) -> String {
            switch self {
            case .all(let verb): "\(verb.title) all \(paneCount) sessions?"
            case .quit: "\(activeCount) session\(activeCount == 1 ? " is" : "s are") running. Stop \(activeCount == 1 ? "it" : "them") and quit?"
            }
        }
    }
}
