import ConvEngine

/// Drives the console from sessions that run on agents (`convtui attach`): one pane per
/// remote session, folded from each agent's watch stream (``RemoteAgent``), commanded through
/// the agent's control API.
///
/// A lost agent greys only its own panes, each saying why; the others carry on. Quitting
/// leaves the remote sessions running: they are the agents', not the console's.
package final class AttachDriver: ConsoleDriver {
    private let agents: [RemoteAgent]
    private let controls: [any AgentControl]
    /// Per pane: its agent's index and its index among that agent's sessions.
    private let places: [(agent: Int, session: Int)]
    private let lanes: SessionLanes
    package let changes: ChangeSignal?

    /// - Parameters:
    ///   - agents: made with `changes` and with `firstPane` the number of panes before each.
    ///   - controls: each agent's control API, in the same order.
    package init(agents: [RemoteAgent], controls: [any AgentControl], changes: ChangeSignal) {
        self.agents = agents
        self.controls = controls
        self.changes = changes
        places = agents.indices.flatMap { agent in agents[agent].sessions.indices.map { (agent, $0) } }
        lanes = SessionLanes(count: places.count)
    }

    package var keymap: Keymap<LiveAction> { .live }

    package var paneCount: Int { places.count }

    package func snapshots(pane: Int) -> SnapshotChannel<SessionSnapshot> {
        let place = places[pane]
        return agents[place.agent].channels[place.session]
    }

    package func currentOffset(pane: Int) -> Int64 {
        let place = places[pane]
        return agents[place.agent].currentOffset(session: place.session)
    }

    package var statusLabel: String {
        let lost = agents.filter { $0.unreachable != nil }.count
        let dropped = agents.reduce(0) { $0 + $1.droppedAudio }
        var label = "attached to \(agents.count) agent\(agents.count == 1 ? "" : "s")"
        if lost > 0 { label += " · \(lost) unreachable" }
        // A console that fell behind loses audio chunks first (docs/fleet.md): say so.
        if dropped > 0 { label += " · \(dropped) audio chunks dropped" }
        return label
    }

    package func isFrozen(pane: Int) -> Bool {
        agents[places[pane].agent].unreachable != nil
    }

    /// A lost agent's panes keep what they showed; the frame says why they no longer move.
    package var frozenMarker: String { "lost" }

    package func note(pane: Int) -> String? {
        let place = places[pane]
        return agents[place.agent].note(session: place.session)
    }

    /// The remote sessions keep running when this console quits: nothing to confirm.
    package var confirmsQuit: Bool { false }

    package func perform(_ command: LiveCommand, report: @escaping @Sendable (String) -> Void) {
        let panes: Range<Int>
        switch command.target {
        case .session(let index): panes = index..<(index + 1)
        case .all: panes = places.indices
        }
        for pane in panes where places.indices.contains(pane) {
            let snapshot = snapshots(pane: pane).read().value
            let label = "\(command.verb.rawValue) \(snapshot.number) \(snapshot.name)"
            let request: ControlRequest
            switch Self.request(command, state: snapshot.state) {
            case .success(let made): request = made
            case .failure(.unsupported(let why)):
                if command.verb != .activity { report("\(label): \(why)") }
                continue
            case .failure(.refused(let why)):
                report("\(label): \(why)")
                continue
            }
            // Starting a running session or stopping a stopped one is only worth a word when
            // that one session was asked (as on a local board).
            let quiet = command.target == .all && command.verb != .send
            let place = places[pane]
            let control = controls[place.agent]
            let number = agents[place.agent].sessions[place.session].number
            let queued = lanes.enqueue(pane) {
                if let problem = await control.perform(request, session: number), !quiet { report("\(label): \(problem)") }
            }
            if !queued { report("\(label): the console is closing") }
        }
    }

    /// Why a command cannot become a control request.
    package enum Refusal: Error, Equatable {
        /// The agent's API has no such action.
        case unsupported(String)
        /// The session's state rules it out (no tool call waits).
        case refused(String)
    }

    /// The control request a live command becomes on a remote session in `state`.
    package static func request(_ command: LiveCommand, state: SessionState) -> Result<ControlRequest, Refusal> {
        switch command.verb {
        case .start: return .success(.start)
        case .stop: return .success(.stop)
        case .restart: return .success(.restart)
        case .send: return .success(.send(text: command.text))
        case .context: return .success(.context(text: command.text))
        case .tool:
            guard let (call, result) = PendingAnswer.toolCall(in: state.pendingToolCalls, text: command.text) else {
                return .failure(.refused("no tool call is waiting"))
            }
            return .success(.toolAnswer(callId: call.callId, result: result, isError: false))
        case .approve, .deny:
            guard let call = PendingAnswer.approval(in: state.pendingApprovals, callId: command.text) else {
                return .failure(.refused(command.text.isEmpty ? "no approval is waiting" : "no approval \(TextSanitizer.sanitize(command.text)) is waiting"))
            }
            return .success(.approval(callId: call.callId, approved: command.verb == .approve))
        case .like, .dislike: return .success(.feedback(like: command.verb == .like))
        case .end: return .success(.end)
        case .mark: return .success(.mark(note: command.text))
        case .activity:
            // Typing signals are throttled local chatter; not worth a request to the agent each.
            return .failure(.unsupported("typing is not signalled to a remote session"))
        }
    }

    /// Waits (briefly) for control requests already sent; the agents' sessions keep running.
    package func shutdown(reason: String) async {
        lanes.close()
        _ = await lanes.drained(within: .seconds(2))
    }

    package var farewell: String? { nil }
}
