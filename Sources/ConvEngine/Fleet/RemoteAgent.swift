/// One agent a console is attached to: its sessions' panes, each with a snapshot channel fed
/// by folding the agent's watch stream (``RemoteAgentFold``).
///
/// ``take(_:)`` runs on the task that follows the agent; the fold and the publishing happen
/// under this object's short lock, and the render thread only reads channels and the reason
/// the agent is lost. One agent's lines never touch another agent's panes.
public final class RemoteAgent: Sendable {
    /// The agent's label (`host:port`): part of every pane's name.
    public let host: String
    /// The sessions the agent listed when the console attached, in the agent's order.
    public let sessions: [Listed]
    /// One channel per listed session, in the same order.
    public let channels: [SnapshotChannel<SessionSnapshot>]
    /// The console-wide pane number of the first listed session, less one.
    private let firstPane: Int
    private let state: Locked<State>

    /// A session as `GET /v1/sessions` listed it.
    public struct Listed: Sendable, Equatable {
        public let number: Int
        public let name: String

        public init(number: Int, name: String) {
            self.number = number
            self.name = name
        }
    }

    private struct State {
        var fold: RemoteAgentFold
        /// Per listed session: the newest event's offset and when it arrived here.
        var heard: [(offset: Int64, at: ContinuousClock.Instant)?]
    }

    /// - Parameters:
    ///   - firstPane: how many panes come before this agent's on the console.
    ///   - changes: moved whenever a pane publishes (the console's one signal).
    public init(host: String, sessions: [Listed], firstPane: Int, changes: ChangeSignal) {
        self.host = host
        self.sessions = sessions
        self.firstPane = firstPane
        let fold = RemoteAgentFold(host: host)
        channels = sessions.indices.map { index in
            SnapshotChannel(Self.snapshot(pane: firstPane + index, listed: sessions[index], host: host, state: nil), changes: changes)
        }
        state = Locked(State(fold: fold, heard: Array(repeating: nil, count: sessions.count)))
    }

    /// The pane name of a remote session: its name on the agent, then the agent.
    public static func paneName(_ name: String, host: String) -> String { "\(name)@\(host)" }

    /// Folds one line of the agent's stream and republishes what it changed.
    public func take(_ line: [UInt8]) {
        state.withLock { s in
            switch s.fold.take(line) {
            case .nothing: break
            case .session(let number):
                guard let index = sessions.firstIndex(where: { $0.number == number }) else { return }
                if let folded = s.fold.sessions[number] { s.heard[index] = (folded.state.lastEventAt, .now) }
                publish(index, s.fold)
            case .agent:
                for index in sessions.indices { publish(index, s.fold) }
            }
        }
    }

    /// Why the agent cannot be reached now, if it cannot.
    public var unreachable: String? { state.withLock { $0.fold.unreachable } }

    /// Audio chunks the agent dropped for this console because it fell behind.
    public var droppedAudio: Int { state.withLock { $0.fold.droppedAudio } }

    /// A line about session `index`'s source: the agent lost, or the run joined mid-way.
    public func note(session index: Int) -> String? {
        state.withLock { s in
            if let reason = s.fold.unreachable { return "host unreachable: \(TextSanitizer.sanitize(reason))" }
            if !s.fold.connected { return "connecting to \(host)…" }
            guard s.fold.sessions[sessions[index].number] != nil else { return "not on the agent (it has other sessions now)" }
            if s.fold.sessions[sessions[index].number]?.joinedMidRun == true {
                return "joined mid-run: earlier events are in the agent's log"
            }
            return nil
        }
    }

    /// Session `index`'s clock now: its newest event's offset plus the time since it arrived,
    /// so that a live run's elapsed time moves without trusting the two hosts' clocks to agree.
    public func currentOffset(session index: Int) -> Int64 {
        state.withLock { s in
            guard let heard = s.heard[index] else { return 0 }
            let since = ContinuousClock.now - heard.at
            let live = s.fold.sessions[sessions[index].number]?.state.phase.isActive ?? false
            return heard.offset + (live ? ElapsedClock.micros(since) : 0)
        }
    }

    private func publish(_ index: Int, _ fold: RemoteAgentFold) {
        let listed = sessions[index]
        channels[index].publish(Self.snapshot(pane: firstPane + index, listed: listed, host: host, state: fold.sessions[listed.number]?.state))
    }

    private static func snapshot(pane: Int, listed: Listed, host: String, state: SessionState?) -> SessionSnapshot {
        SessionSnapshot(number: pane + 1, name: paneName(listed.name, host: host), state: state ?? SessionState(backend: "remote"), logPath: nil)
    }
}
