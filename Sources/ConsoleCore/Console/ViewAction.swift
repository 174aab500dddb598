/// What a key does to the view, the same in every console: focus, zoom, scrolling, the
/// inspector, help and quitting. Each console's own keys (``LiveAction``, ``ReplayAction``)
/// wrap these.
package enum ViewAction: Hashable, Sendable {
    case focusNext, focusPrevious
    case focusLeft, focusRight, focusUp, focusDown
    /// Focus the pane whose number is the digit pressed.
    case focusNumber
    case toggleZoom
    case scrollPageUp, scrollPageDown, scrollToTop, follow
    case toggleInspector
    /// Open the list of event types the inspector shows; give the inspector the keys.
    case chooseInspectorTypes, focusInspector
    case toggleHelp
    /// Focus the next (previous) pane with an alert firing; open the list of alerts.
    case nextAlert, previousAlert, toggleAlerts
    case quit
    /// Switch between the grid and the session table.
    case toggleTable
    /// Sort the table by the column to the right or left, or reverse the order.
    case sortNext, sortPrevious, reverseSort
    /// Type a search (a filter in the table), then step through its matches.
    case search
    /// Type a pane's number or name and focus it.
    case goToPane
    /// Unzoom, else clear the search or the table filter.
    case back
    /// Type the inspector's regex filter; pause or resume the inspector's list.
    case filterInspector, pauseInspector
    /// Listen to the focused pane's agent audio, or stop listening (`L`).
    case toggleListen
    /// Hear the agent, the user or both when listening (`H` cycles).
    case cycleListenSource
    /// Talk into the focused pane's session from the microphone, or stop talking (`T`).
    case toggleTalk
    /// Clear the terminal and draw every cell again, after another program wrote over it (Ctrl-L).
    case repaint
}
