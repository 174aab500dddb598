import ConvEngine

/// The panes a console shows and how to command them.
///
/// The console runtime knows nothing else about where panes come from, so live sessions
/// (`demo`, `run`) and recorded ones (`replay`) share one screen. Every member may be called
/// from the render thread; commands must return promptly (long work goes to a task).
package protocol ConsoleDriver: Sendable {
    /// This console's keys; their commands are what ``perform(_:report:)`` takes.
    associatedtype Action: ConsoleKeys

    /// The key table of this console.
    var keymap: Keymap<Action> { get }
    var paneCount: Int { get }
    /// The snapshots of pane `pane` (0-based).
    func snapshots(pane: Int) -> SnapshotChannel<SessionSnapshot>
    /// Moves whenever any pane's channel publishes; nil makes the render loop look at every
    /// channel each tick.
    var changes: ChangeSignal? { get }
    /// Microseconds on pane `pane`'s clock now, on the scale of its snapshot offsets
    /// (for a live run's elapsed time).
    func currentOffset(pane: Int) -> Int64
    /// A short label for the status bar, such as where logs are recorded.
    var statusLabel: String { get }
    /// Carries out `command`; anything worth telling the operator (a refused send) goes to
    /// `report`, possibly later and from another thread.
    func perform(_ command: Action.Command, report: @escaping @Sendable (String) -> Void)
    /// Stops everything and closes logs, saying why (`quit`, `duration`, `signal`); called
    /// once, after the screen is restored.
    func shutdown(reason: String) async
    /// What to print on stderr after the screen is restored (where the logs are), if anything.
    var farewell: String? { get }
    /// Lets time pass for anything the driver runs on a clock (a replay); called on every
    /// render tick. Returns true when the screen should be drawn again.
    func tick() -> Bool
    /// Whether ticks have work left that the operator is waiting for (a replay's panes catching
    /// up with a far seek): the render loop then ticks again at once instead of idling.
    var hasWorkLeft: Bool { get }
    /// Rows drawn above the status bar (a replay's timeline), for a screen `width` wide.
    func extraBar(width: Int) -> [[StyledRun]]
    /// Whether pane `pane` is frozen (a stopped replay pane): drawn dimmed.
    func isFrozen(pane: Int) -> Bool
    /// The word on a frozen pane's frame: `frozen` for a stopped replay pane, `lost` for the
    /// pane of an agent that cannot be reached.
    var frozenMarker: String { get }
    /// Whether quitting asks first while sessions are active (live sessions would be stopped).
    var confirmsQuit: Bool { get }
    /// Whether the operator can answer the sessions' pending calls (live sessions can).
    var answersCalls: Bool { get }
    /// Whether the console rings the bell when an alert is raised (`[alerts] bell`).
    var ringsBellOnAlert: Bool { get }
    /// Messages from work the driver runs on its own (a config's script failing), for the
    /// status bar.
    var notices: SnapshotChannel<String?>? { get }
    /// The pane `command`, just carried out, points at (a replay's step to the next
    /// interruption or error: the pane where it happened), to focus it.
    func focus(after command: Action.Command) -> Int?
    /// A line about pane `pane`'s source for its last row (a replayed log's skipped lines).
    func note(pane: Int) -> String?
    /// Listening in (`L`), when this console can play its panes' audio.
    var listening: (any ListenControl)? { get }
    /// Why `L` does nothing when ``listening`` is nil.
    var noAudioReason: String { get }
    /// Push-to-talk (`T`), when this console can send its microphone into its panes' sessions.
    var talking: (any TalkControl)? { get }
    /// Each pane's user and agent levels now (0-based; nil for a pane with no audio to meter),
    /// when this console meters audio; called on every render tick, so it must be cheap.
    func levelReadings() -> [LevelMeters.Reading?]?
}

extension ConsoleDriver {
    package func tick() -> Bool { false }
    package var hasWorkLeft: Bool { false }
    package var changes: ChangeSignal? { nil }
    package func extraBar(width: Int) -> [[StyledRun]] { [] }
    package func isFrozen(pane: Int) -> Bool { false }
    package var frozenMarker: String { "frozen" }
    package var confirmsQuit: Bool { true }
    package var answersCalls: Bool { true }
    package var notices: SnapshotChannel<String?>? { nil }
    package func focus(after command: Action.Command) -> Int? { nil }
    package func note(pane: Int) -> String? { nil }
    package var ringsBellOnAlert: Bool { false }
    package var listening: (any ListenControl)? { nil }
    package var noAudioReason: String { "this console plays no audio" }
    package var talking: (any TalkControl)? { nil }
    package func levelReadings() -> [LevelMeters.Reading?]? { nil }
}
