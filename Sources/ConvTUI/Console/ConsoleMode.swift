/// What keys mean right now. Each mode has its own handling in ``ConsoleUpdate``; a new mode
/// (replay, a goto prompt) is a new case and a new branch there.
enum ConsoleMode: Equatable, Sendable {
    /// Keys go through the ``Keymap``.
    case normal
    /// Typing a message to the focused pane.
    case input(InputLine)
    /// The help overlay; any key closes it.
    case help
    /// A yes/no question before an action that touches every pane or ends the console.
    case confirm(Confirmation)
    /// Typing a time to jump to in a replay (`mm:ss`, `h:mm:ss` or seconds).
    case goToTime(InputLine)

    /// An action that needs a yes first.
    enum Confirmation: Equatable, Sendable {
        case startAll, stopAll, quit

        /// The question, as the prompt line shows it.
        func question(paneCount: Int, activeCount: Int) -> String {
            switch self {
            case .startAll: "Start all \(paneCount) sessions?"
            case .stopAll: "Stop all \(paneCount) sessions?"
            case .quit: "\(activeCount) session\(activeCount == 1 ? " is" : "s are") running. Stop \(activeCount == 1 ? "it" : "them") and quit?"
            }
        }
    }
}
