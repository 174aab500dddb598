/// One log in a replay: the pane that shows it and where its replay stands.
///
/// A log that cannot be read still gets a pane, whose snapshot is a `failed` session naming
/// the problem, so one bad file never stops the others from replaying.
public final class ReplayPane {
    /// 1-based position among the replayed logs.
    public let number: Int
    public let path: String
    /// The recorded session's name, or the file's name when the log could not be read.
    public let name: String
    /// The pane's latest snapshot; published only when it changed.
    public let snapshots: SnapshotChannel<SessionSnapshot>
    /// Why the log cannot be replayed at all, if it cannot.
    public let failure: LogFormatError?
    /// A frozen pane keeps its snapshot while the clock moves; unfreezing catches it up.
    public internal(set) var isFrozen = false
    /// Where this log's offset 0 sits on the shared log-time axis (see ``ReplayAlignment``).
    public let shift: Int64
    let cursor: ReplayCursor?

    /// The log's index (nil when the log could not be read).
    public var index: ReplayIndex? { cursor?.index }
    /// Line problems found while indexing (corrupt lines, a torn tail).
    public var problems: [LogProblem] { cursor?.index.problems ?? [] }

    init(number: Int, path: String, opened: Result<ReplayCursor, LogFormatError>, shift: Int64, changes: ChangeSignal) {
        self.number = number
        self.path = path
        self.shift = shift
        let state: SessionState
        switch opened {
        case .success(let cursor):
            self.cursor = cursor
            failure = nil
            name = cursor.index.header.sessionName
            state = cursor.state
        case .failure(let error):
            cursor = nil
            failure = error
            name = TextSanitizer.sanitize(String(path.split(separator: "/").last ?? Substring(path)))
            state = .unreadableLog("\(TextSanitizer.sanitize(path)): \(error)")
        }
        snapshots = SnapshotChannel(SessionSnapshot(number: number, name: name, state: state, logPath: path), changes: changes)
    }

    /// Shows the state after the first `count` events; publishes only if that moved.
    func show(eventCount count: Int) {
        guard !isFrozen, let cursor, count != cursor.applied else { return }
        cursor.move(toEventCount: count)
        snapshots.publish(SessionSnapshot(number: number, name: name, state: cursor.state, logPath: path))
    }
}

extension SessionState {
    /// The state a pane shows for a log it cannot replay: failed, with the reason.
    static func unreadableLog(_ message: String) -> SessionState {
        var state = SessionState(backend: "replay")
        state.phase = .failed(error: message)
        state.lastError = message
        state.counters.errors = 1
        return state
    }
}
