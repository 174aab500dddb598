import ConvEngine

/// Drives one console over a config's own sessions and the sessions of the agents its
/// `[[remote]]` tables name: the board's panes first, then each agent's.
///
/// Every call goes to the driver that owns the pane; a command for all sessions goes to both.
/// Listening in, push-to-talk and the meters are the board's alone (remote audio stays on the
/// agents' hosts).
package struct BoardAndAgentsDriver: ConsoleDriver {
    private let board: BoardDriver
    private let remote: AttachDriver
    private let local: Int

    /// `remote`'s panes must be numbered after `board`'s (its agents made with `firstPane` at
    /// least the board's session count) and publish on `board`'s change signal.
    package init(board: BoardDriver, remote: AttachDriver) {
        self.board = board
        self.remote = remote
        local = board.paneCount
    }

    package var keymap: Keymap<LiveAction> { .live }
    package var paneCount: Int { local + remote.paneCount }
    package var changes: ChangeSignal? { board.changes }
    package var ringsBellOnAlert: Bool { board.ringsBellOnAlert }
    package var notices: SnapshotChannel<String?>? { board.notices }
    package var listening: (any ListenControl)? { board.listening }
    package var talking: (any TalkControl)? { board.talking }

    package var statusLabel: String { board.statusLabel + " · " + remote.statusLabel }

    package func snapshots(pane: Int) -> SnapshotChannel<SessionSnapshot> {
        pane < local ? board.snapshots(pane: pane) : remote.snapshots(pane: pane - local)
    }

    package func currentOffset(pane: Int) -> Int64 {
        pane < local ? board.currentOffset(pane: pane) : remote.currentOffset(pane: pane - local)
    }

    package func isFrozen(pane: Int) -> Bool {
        pane < local ? board.isFrozen(pane: pane) : remote.isFrozen(pane: pane - local)
    }

    /// Only the agents' panes freeze (their agent lost).
    package var frozenMarker: String { remote.frozenMarker }

    package func note(pane: Int) -> String? {
        pane < local ? board.note(pane: pane) : remote.note(pane: pane - local)
    }

    package func perform(_ command: LiveCommand, report: @escaping @Sendable (String) -> Void) {
        switch command.target {
        case .all:
            board.perform(command, report: report)
            remote.perform(command, report: report)
        case .session(let pane) where pane < local:
            board.perform(command, report: report)
        case .session(let pane):
            remote.perform(LiveCommand(command.verb, .session(pane - local), text: command.text), report: report)
        }
    }

    /// Stops the board's sessions and closes their logs; the agents' sessions keep running.
    package func shutdown(reason: String) async {
        await remote.shutdown(reason: reason)
        await board.shutdown(reason: reason)
    }

    package var farewell: String? { board.farewell }

    package func levelReadings() -> [LevelMeters.Reading?]? {
        board.levelReadings().map { $0 + Array(repeating: nil, count: remote.paneCount) }
    }
}
