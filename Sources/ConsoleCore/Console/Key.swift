/// A key press as the console understands it, independent of curses key codes.
package enum Key: Hashable, Sendable {
    case character(Character)
    case enter, escape, tab, backTab, backspace, delete
    case up, down, left, right
    case shiftLeft, shiftRight
    case pageUp, pageDown, home, end
    /// A control key (Ctrl-A/E/U/W edit the input line, Ctrl-L repaints): the letter, lowercase.
    case control(Character)

    /// How the key is written in help and hints.
    package var label: String {
        switch self {
        case .character(" "): "Space"
        case .character(let c): String(c)
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .shiftLeft: "Shift-←"
        case .shiftRight: "Shift-→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .control(let c): "Ctrl-" + c.uppercased()
        }
    }
}

/// What the console reacts to: a key, the terminal changing size, or a report from work
/// the driver runs (a refused send; nil clears the notice).
package enum ConsoleInput: Equatable, Sendable {
    case key(Key)
    case resize(ScreenSize)
    case report(String?)
    /// A command the driver could not carry out, with why: a refused send opens its text again.
    case refused(String)
    /// The driver points at pane N (0-based), as a replay does after a step to an
    /// interruption or error: the pane is focused.
    case focus(Int)
    /// What the sound side says about push-to-talk (``TalkState``).
    case talk(TalkReport)
}
