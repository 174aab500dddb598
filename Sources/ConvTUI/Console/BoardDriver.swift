import ConvEngine

/// Drives the console from a ``SessionBoard`` of live sessions (`demo`, later `run`).
struct BoardDriver: ConsoleDriver {
    init(board: SessionBoard, logDirectory: String?, notices: SnapshotChannel<String?>? = nil) {
        self.board = board
        self.logDirectory = logDirectory
        self.notices = notices
    }

    let board: SessionBoard
    /// Where the sessions record, if they do.
    let logDirectory: String?
    var notices: SnapshotChannel<String?>?

    var paneCount: Int { board.sessions.count }

    func snapshots(pane: Int) -> SnapshotChannel<SessionSnapshot> {
        board.sessions[pane].snapshots
    }

    func currentOffset(pane: Int) -> Int64 {
        board.sessions[pane].currentOffset()
    }

    var statusLabel: String {
        logDirectory.map { "rec " + TextSanitizer.sanitize($0) } ?? "not recording"
    }

    func perform(_ command: ConsoleCommand, report: @escaping @Sendable (String) -> Void) {
        switch command {
        case .start(let pane): board.sessions[pane].start()
        case .stop(let pane): board.sessions[pane].stop()
        case .restart(let pane): board.sessions[pane].restart()
        case .startAll: board.startAll()
        case .stopAll: board.stopAll()
        case .replay: report("live sessions have no replay clock")
        case .send(let pane, let text):
            let session = board.sessions[pane]
            Task {
                do {
                    try await session.sendText(text)
                } catch {
                    report("send to \(session.number) \(session.name): \(error)")
                }
            }
        }
    }

    func shutdown() async {
        await board.shutdown()
    }

    var farewell: String? {
        logDirectory.map { "convtui: session logs in \(TextSanitizer.sanitize($0))" }
    }
}
