import ConvEngine
import Synchronization

/// The one place a ``LiveCommand`` becomes session calls; the live console's keys and
/// headless stdin both go through it.
///
/// Every command for a session runs on that session's lane (``SessionLanes``), in the order
/// given; a command for all sessions is queued on every lane. A command that cannot be
/// carried out (a refused send, a start of a running session) says why through `failed`;
/// a `send` ends either in the session's `user_message` event or in `failed`.
package final class LiveDispatcher: Sendable {
    package let board: SessionBoard
    private let lanes: SessionLanes
    private let activity = Mutex(ActivityThrottle())

    package init(board: SessionBoard) {
        self.board = board
        lanes = SessionLanes(count: board.sessions.count)
    }

    /// Queues `command`; `failed` hears (later, from another thread) why a part of it could
    /// not be done.
    package func perform(_ command: LiveCommand, failed: @escaping @Sendable (String) -> Void) {
        let indexes: Range<Int>
        switch command.target {
        case .session(let index): indexes = index..<(index + 1)
        case .all: indexes = board.sessions.indices
        }
        for index in indexes where board.sessions.indices.contains(index) {
            if command.verb == .activity, !activity.withLock({ $0.admits(index, at: .now) }) { continue }
            let session = board.sessions[index]
            // Starting a running session or stopping a stopped one is only worth a word when
            // that one session was asked; typing at a session that is not live, never.
            let quiet = (command.target == .all && command.verb != .send) || command.verb == .activity
            let queued = lanes.enqueue(index) {
                if let problem = await Self.run(command.verb, on: session, text: command.text), !quiet {
                    failed("\(command.verb.rawValue) \(session.number) \(session.name): \(problem)")
                }
            }
            if !queued { failed("\(command.verb.rawValue) \(session.number) \(session.name): the console is closing") }
        }
    }

    /// Runs `job` once the commands already queued for the session at `index` are done
    /// (a `snapshot` after a `send` shows the message).
    package func after(session index: Int, _ job: @escaping @Sendable () -> Void) {
        lanes.enqueue(index) { job() }
    }

    /// Carries out one verb on one session; returns why it could not, if it could not.
    private static func run(_ verb: LiveVerb, on session: ConversationSession, text: String) async -> String? {
        switch verb {
        case .start: return session.start() ? nil : "already \(session.snapshot.state.phase.name)"
        case .stop: return session.stop() ? nil : "not running (\(session.snapshot.state.phase.name))"
        case .restart: session.restart()
        case .end: return session.endConversation() ? nil : "not running (\(session.snapshot.state.phase.name))"
        case .mark: return session.mark(note: text) ? nil : "no run has started yet"
        default:
            do { return try await send(verb, on: session, text: text) } catch { return "\(error)" }
        }
        return nil
    }

    /// Carries out a verb that sends a message; returns why it could not, if it could not.
    private static func send(_ verb: LiveVerb, on session: ConversationSession, text: String) async throws(SendError) -> String? {
        let state = session.snapshot.state
        switch verb {
        case .send: try await session.sendText(text, origin: .operator)
        case .context: try await session.sendContextualUpdate(text)
        case .activity: try await session.sendUserActivity()
        case .like, .dislike: try await session.sendFeedback(like: verb == .like)
        case .tool:
            guard let (call, result) = PendingAnswer.toolCall(in: state.pendingToolCalls, text: text) else { return "no tool call is waiting" }
            try await session.sendToolResult(callId: call.callId, result: result, isError: false)
        case .approve, .deny:
            guard let call = PendingAnswer.approval(in: state.pendingApprovals, callId: text) else {
                return text.isEmpty ? "no approval is waiting" : "no approval \(TextSanitizer.sanitize(text)) is waiting"
            }
            try await session.answerApproval(callId: call.callId, approved: verb == .approve)
        case .start, .stop, .restart, .end, .mark: break
        }
        return nil
    }

    /// Takes no more commands, lets the queued ones finish (up to `timeout`), then stops
    /// every session with `reason` and closes the logs. Sends still waiting after the
    /// timeout fail once their session has stopped, so each still ends in `failed`.
    package func shutdown(reason: String, timeout: Duration = .seconds(2)) async {
        lanes.close()
        let drained = await lanes.drained(within: timeout)
        await board.shutdown(reason: reason)
        if !drained { _ = await lanes.drained(within: timeout) }
    }
}
