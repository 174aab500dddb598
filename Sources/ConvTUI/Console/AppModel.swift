/// Everything the console screen remembers between frames, apart from the sessions' own
/// snapshots: where the focus is, what is zoomed or scrolled, and which mode keys are in.
struct AppModel: Equatable, Sendable {
    let paneCount: Int
    var size: ScreenSize
    /// The focused pane (0-based).
    var focus = 0
    /// Whether the focused pane fills the screen.
    var isZoomed = false
    var showsInspector = false
    /// Show only events of this type in the inspector.
    var inspectorFilter: String?
    var mode: ConsoleMode = .normal
    /// First visible transcript line of panes scrolled back; a pane not in here follows its
    /// newest lines.
    var scrollTop: [Int: Int] = [:]
    /// A one-line message for the status bar (what just happened, or why it did not).
    var notice: String?
    /// False once the operator has quit.
    var isRunning = true

    init(paneCount: Int, size: ScreenSize) {
        self.paneCount = max(1, paneCount)
        self.size = size
    }

    func isFollowing(_ pane: Int) -> Bool { scrollTop[pane] == nil }
}

/// Facts ``ConsoleUpdate`` needs that live outside the model: the sessions and the last frame.
struct ConsoleContext: Equatable, Sendable {
    /// How many sessions are connecting, live or stopping.
    var activeSessions = 0
    /// Wrapped transcript lines of the focused pane, and how many fit in it (last frame).
    var focusedLines = 0
    var focusedViewport = 0
    /// Event types in the focused pane's event stream, for the inspector filter.
    var focusedEventTypes: [String] = []
}
