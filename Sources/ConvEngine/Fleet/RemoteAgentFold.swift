/// One agent's sessions as a console attached to it sees them, folded from the lines
/// `convtui attach` follows (the agent's watch stream through an ``AttachCursor``).
///
/// Pure: a line in, what changed out. Each session's events go through the one reducer
/// (``SessionState/apply(_:)``), so a remote pane shows what the agent's own snapshot holds.
/// A session whose current run began before the oldest event the agent still keeps in memory
/// is joined mid-run: its run is opened from the first event seen, and ``Session/joinedMidRun``
/// says so (the earlier events are in the agent's log).
public struct RemoteAgentFold: Sendable {
    /// The agent's label (`host:port`), as the lines carry it.
    public let host: String
    /// The agent's sessions by their number on the agent.
    public private(set) var sessions: [Int: Session] = [:]
    /// Why the agent cannot be reached now; nil while it is followed (or before the first try).
    public private(set) var unreachable: String?
    /// Whether the agent answered at least once.
    public private(set) var connected = false
    /// Audio chunks the agent dropped for this console, which fell behind.
    public private(set) var droppedAudio = 0

    /// One remote session.
    public struct Session: Sendable, Equatable {
        public let header: SessionLogHeader
        public internal(set) var state: SessionState
        /// Its run was under way before the first event the console received.
        public internal(set) var joinedMidRun = false
    }

    /// What one line changed.
    public enum Change: Sendable, Equatable {
        case nothing
        /// The state of the session with this number.
        case session(Int)
        /// Every session: the agent was lost or found, or restarted.
        case agent
    }

    public init(host: String) {
        self.host = host
    }

    /// Takes one line as ``AttachCursor`` passes it on.
    public mutating func take(_ bytes: [UInt8]) -> Change {
        guard let value = try? JSONParser.parse(bytes), case .object = value else { return .nothing }
        if let number = value["session"]?.intValue, value["seq"] != nil {
            return fold(value, session: number)
        }
        if value["format"]?.stringValue == SessionLogHeader.formatName, let header = try? SessionLogHeader(json: value) {
            guard sessions[header.sessionNumber] == nil else { return .nothing }
            sessions[header.sessionNumber] = Session(header: header, state: header.emptyState())
            return .session(header.sessionNumber)
        }
        switch value["type"]?.stringValue {
        case "host_connected":
            unreachable = nil
            connected = true
            return .agent
        case "host_unreachable":
            unreachable = value["reason"]?.stringValue ?? "lost"
            return .agent
        case "agent_restarted":
            // The new instance numbers its events from 1 and sends its sessions' headers again.
            sessions = [:]
            return .agent
        case "watch_dropped":
            // The agent's count, held to a range that sums without trapping across agents.
            droppedAudio = min(max(value["audio_events_total"]?.intValue ?? droppedAudio, 0), Int(Int32.max))
            return .nothing
        default:
            return .nothing
        }
    }

    private mutating func fold(_ value: JSONValue, session number: Int) -> Change {
        guard var session = sessions[number], let event = try? SessionEvent(json: value) else { return .nothing }
        if event.run > session.state.run, !event.kind.isRunStart {
            // The run's first events are gone from the agent's memory: open the run here.
            session.state.apply(SessionEvent(offset: event.offset, run: event.run, kind: .runStarted(backend: session.header.backend)))
            if !event.kind.isRunEnd { session.state.apply(SessionEvent(offset: event.offset, run: event.run, kind: .connected(conversationId: ""))) }
            session.joinedMidRun = true
        }
        session.state.apply(event)
        sessions[number] = session
        return .session(number)
    }
}

extension SessionEvent.Kind {
    fileprivate var isRunStart: Bool {
        if case .runStarted = self { return true }
        return false
    }

    /// Whether the event ends a run or opens its conversation (then no `connected` is made up).
    fileprivate var isRunEnd: Bool {
        switch self {
        case .connected, .ended, .failed: true
        default: false
        }
    }
}
