/// What a key does in normal mode; the ``Keymap`` maps keys to these.
enum ConsoleAction: Equatable, Sendable {
    case focusNext, focusPrevious
    case focusLeft, focusRight, focusUp, focusDown
    /// Focus the pane whose number is the digit pressed.
    case focusNumber
    case toggleZoom
    case start, stop, restart
    case startAll, stopAll
    case compose
    case scrollPageUp, scrollPageDown, scrollToTop, follow
    case toggleInspector, cycleInspectorFilter
    case toggleHelp
    case quit
    // Replay only.
    case togglePlay, faster, slower
    case seekBack, seekForward, seekBackLong, seekForwardLong
    case previousEvent, nextEvent, previousMark, nextMark
    case goToStart, goToEnd, goToTime
}
