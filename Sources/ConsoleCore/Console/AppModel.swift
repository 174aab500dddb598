/// Everything the console screen remembers between frames, apart from the sessions' own
/// snapshots: where the focus is, what is zoomed or scrolled, and which mode keys are in.
package struct AppModel: Equatable, Sendable {
    package let paneCount: Int
    package var size: ScreenSize
    /// The focused pane (0-based).
    package var focus = 0
    /// Whether the focused pane fills the screen.
    package var isZoomed = false
    package var showsInspector = false
    /// Show only events of this type in the inspector.
    package var inspectorFilter: String?
    package var mode: ConsoleMode = .normal
    /// First visible transcript line of panes scrolled back; a pane not in here follows its
    /// newest lines.
    package var scrollTop: [Int: Int] = [:]
    /// A one-line message for the status bar (what just happened, or why it did not).
    package var notice: String?
    /// False once the operator has quit.
    package var isRunning = true

    package init(paneCount: Int, size: ScreenSize) {
        self.paneCount = max(1, paneCount)
        self.size = size
    }

    package func isFollowing(_ pane: Int) -> Bool { scrollTop[pane] == nil }
}

/// Facts ``ConsoleUpdate`` needs that live outside the model: the sessions and the last frame.
package struct ConsoleContext: Equatable, Sendable {
    /// How many sessions are connecting, live or stopping.
    package var activeSessions = 0
    /// Wrapped transcript lines of the focused pane, and how many fit in it (last frame).
    package var focusedLines = 0
    package var focusedViewport = 0
    /// Event types in the focused pane's event stream, for the inspector filter.
    package var focusedEventTypes: [String] = []
    /// Panes (0-based, ascending) with an alert firing, for `n`/`N`.
    package var alertingPanes: [Int] = []

    package init(activeSessions: Int = 0, focusedLines: Int = 0, focusedViewport: Int = 0, focusedEventTypes: [String] = []) {
        self.activeSessions = activeSessions
        self.focusedLines = focusedLines
        self.focusedViewport = focusedViewport
        self.focusedEventTypes = focusedEventTypes
    }

    /// The context with `alertingPanes` set.
    package func alerting(_ panes: [Int]) -> ConsoleContext {
        var context = self
        context.alertingPanes = panes
        return context
    }
}
