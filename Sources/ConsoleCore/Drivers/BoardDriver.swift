import ConvEngine

/// Drives the console from a ``SessionBoard`` of live sessions (`demo`, `run`); its commands
/// go through the same ``LiveDispatcher`` as headless stdin.
package struct BoardDriver: ConsoleDriver {
    package init(
        board: SessionBoard, logDirectory: String?, notices: SnapshotChannel<String?>? = nil, listening: (any ListenControl)? = nil,
        levelMeters: LevelMeters? = nil, talking: (any TalkControl)? = nil
    ) {
        self.levelMeters = levelMeters
        self.talking = talking
        dispatcher = LiveDispatcher(board: board)
        self.logDirectory = logDirectory
        self.notices = notices
        self.listening = listening
    }

    private let dispatcher: LiveDispatcher
    private var board: SessionBoard { dispatcher.board }
    /// Where the sessions record, if they do.
    package let logDirectory: String?
    package let notices: SnapshotChannel<String?>?
    package let listening: (any ListenControl)?
    package let talking: (any TalkControl)?
    private let levelMeters: LevelMeters?

    package var keymap: Keymap<LiveAction> { .live }

    package func levelReadings() -> [LevelMeters.Reading?]? {
        guard let levelMeters else { return nil }
        let readings = levelMeters.readings()
        return board.sessions.map { readings[$0.number] ?? LevelMeters.Reading() }
    }

    package var ringsBellOnAlert: Bool { board.sessions.first?.alertRules.bell ?? false }

    package var paneCount: Int { board.sessions.count }

    package func snapshots(pane: Int) -> SnapshotChannel<SessionSnapshot> {
        board.sessions[pane].snapshots
    }

    package func currentOffset(pane: Int) -> Int64 {
        board.sessions[pane].currentOffset()
    }

    package var changes: ChangeSignal? { board.changes }

    package var statusLabel: String {
        logDirectory.map { "rec " + TextSanitizer.sanitize($0) } ?? "not recording"
    }

    package func perform(_ command: LiveCommand, report: @escaping @Sendable (String) -> Void) {
        dispatcher.perform(command, failed: report)
    }

    package func shutdown(reason: String) async {
        await dispatcher.shutdown(reason: reason)
    }

    package var farewell: String? {
        logDirectory.map { "convtui: session logs in \(TextSanitizer.sanitize($0))" }
    }
}
