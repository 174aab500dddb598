import ConvEngine

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
    /// Which events the inspector shows and where it is scrolled.
    package var inspector = InspectorSettings()
    package var mode: ConsoleMode = .normal
    /// First visible transcript line of panes scrolled back; a pane not in here follows its
    /// newest lines.
    package var scrollTop: [Int: Int] = [:]
    /// A one-line message for the status bar (what just happened, or why it did not).
    package var notice: String?
    /// Texts sent from prompts, oldest first (↑ recalls them), and the one recalled.
    package var history: [String] = []
    package var historyIndex: Int?
    /// The last text sent, where and to which pane: a refusal opens it again.
    package var lastTyped: TypedText?
    /// The first help line shown (help scrolls on a small screen).
    package var helpTop = 0
    /// False once the operator has quit.
    package var isRunning = true
    /// The session table instead of the grid; zooming shows the focused session over it.
    package var showsTable = false
    package var table = TableSettings()
    /// The transcript search: matches are highlighted in every pane.
    package var search: TextPattern?
    /// The focused pane's transcript line that `n`/`N` last went to.
    package var searchLine: Int?
    /// Listening in: the focused pane's agent audio plays (it follows the focus).
    package var isListening = false
    /// Whose audio listening in plays (`H` cycles): the agent's, the user's or both.
    package var listenSource = ListenSource.agent
    /// Push-to-talk (`T`): the microphone into the focused pane's session.
    package var talk = TalkState()
    /// How many times the operator asked for the whole screen to be written again (Ctrl-L):
    /// the terminal adapter repaints when this moves.
    package var repaints = 0

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
    /// The event types the inspector's list offers (``InspectorSettings/typeChoices(_:)``).
    package var focusedEventTypes: [String] = []
    /// The numbers of the events the inspector shows (``InspectorSettings/shown(_:)``).
    package var inspectorEvents: [Int] = []
    /// Panes (0-based, ascending) with an alert firing, for `n`/`N`.
    package var alertingPanes: [Int] = []

    /// The session table's rows, top down, and how many fit on screen (last frame).
    package var tableRows: [Int] = []
    package var tableViewport = 0
    /// The focused pane's transcript lines that match the search (last frame).
    package var focusedMatches: [Int] = []
    /// Every pane's session name, for going to a pane by name.
    package var paneNames: [String] = []
    /// Why listening in (`L`) is impossible, nil when it is possible.
    package var listenUnavailable: String?
    /// Why push-to-talk (`T`) is impossible in this console, nil when it can be tried.
    package var talkUnavailable: String?

    package init(
        activeSessions: Int = 0, focusedLines: Int = 0, focusedViewport: Int = 0, focusedEventTypes: [String] = [],
        tableRows: [Int] = [], tableViewport: Int = 0, focusedMatches: [Int] = [], paneNames: [String] = [],
        inspectorEvents: [Int] = [], listenUnavailable: String? = nil, talkUnavailable: String? = nil
    ) {
        self.talkUnavailable = talkUnavailable
        self.inspectorEvents = inspectorEvents
        self.listenUnavailable = listenUnavailable
        self.activeSessions = activeSessions
        self.focusedLines = focusedLines
        self.focusedViewport = focusedViewport
        self.focusedEventTypes = focusedEventTypes
        self.tableRows = tableRows
        self.tableViewport = tableViewport
        self.focusedMatches = focusedMatches
        self.paneNames = paneNames
    }

    /// The context with `alertingPanes` set.
    package func alerting(_ panes: [Int]) -> ConsoleContext {
        var context = self
        context.alertingPanes = panes
        return context
    }
}

/// Text the operator sent from a prompt, kept until the next one in case it is refused.
package struct TypedText: Equatable, Sendable {
    package let prompt: ConsoleMode.Prompt
    package let pane: Int
    package let text: String
}
