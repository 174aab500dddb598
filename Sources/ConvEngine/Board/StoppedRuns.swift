/// Runs that ``SessionBoard/endAll(reason:)`` has ended but whose tasks, audio streams and
/// sockets are still to be let go.
///
/// Ending is a state change under each session's lock; releasing cancels tasks and starts
/// socket closes, which costs more. Splitting the two lets every pane show `ended` before
/// the first socket is touched.
public struct StoppedRuns: Sendable {
    let runs: [ConversationSession.StoppedRun]

    /// How many runs were ended.
    public var count: Int { runs.count }

    /// Cancels every run's task and streams and asks its transport to close.
    public func release() {
        for run in runs { run.release() }
    }
}
