/// What an agent exports as metrics, summed from its sessions' snapshots per label set
/// (backend, and the session's name when sessions are labelled one by one).
public struct FleetTally: Sendable, Equatable {
    /// One label set.
    public struct Key: Hashable, Sendable {
        public let backend: String
        /// The session's name, when sessions are labelled one by one.
        public let session: String?

        public init(backend: String, session: String? = nil) {
            self.backend = backend
            self.session = session
        }

        /// The labels in Prometheus order.
        public var labels: [(String, String)] {
            [("backend", backend)] + (session.map { [("session", $0)] } ?? [])
        }
    }

    /// Totals that only grow (over every run of every session of the label set).
    public struct Totals: Sendable, Equatable {
        public var eventsIn = 0
        public var eventsOut = 0
        public var errors = 0
        /// Runs started after a session's first (restarts and reconnects).
        public var reconnects = 0
        public var alertsRaised = 0
        public var turns = 0
        public var interruptedTurns = 0

        public init() {}
    }

    /// The phases a session can be in, in the order metrics list them.
    public static let phaseNames = ["idle", "connecting", "live", "stopping", "ended", "failed"]

    /// Sessions per phase name, per label set (every phase present, zero or not).
    public private(set) var phases: [Key: [String: Int]] = [:]
    /// Alerts firing now, per label set.
    public private(set) var activeAlerts: [Key: Int] = [:]
    public private(set) var totals: [Key: Totals] = [:]

    /// The tally of `snapshots`; `bySession` labels each session apart.
    public init(_ snapshots: [SessionSnapshot], bySession: Bool) {
        for snapshot in snapshots {
            let state = snapshot.state
            let key = Key(backend: state.backend, session: bySession ? snapshot.name : nil)
            if phases[key] == nil {
                phases[key] = Dictionary(uniqueKeysWithValues: Self.phaseNames.map { ($0, 0) })
            }
            phases[key]![state.phase.name, default: 0] += 1
            activeAlerts[key, default: 0] += state.alerts.count
            var sums = totals[key] ?? Totals()
            sums.eventsIn += state.counters.eventsIn
            sums.eventsOut += state.counters.eventsOut
            sums.errors += state.counters.errors
            sums.reconnects += state.metrics.restarts
            sums.alertsRaised += state.alertsRaised
            sums.turns += state.metrics.turns
            sums.interruptedTurns += state.metrics.interruptedTurns
            totals[key] = sums
        }
    }
}
