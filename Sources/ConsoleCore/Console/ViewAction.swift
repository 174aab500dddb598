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
    case toggleInspector, cycleInspectorFilter
    case toggleHelp
    /// Focus the next (previous) pane with an alert firing; open the list of alerts.
    case nextAlert, previousAlert, toggleAlerts
    case quit
}
