/// A session's turn figures: the latest turn, the current run's distribution and counts, and
/// the session's over all its runs (restarts counted apart, as k9s counts RESTARTS).
public struct SessionMetrics: Sendable, Equatable {
    /// The turn in progress.
    public internal(set) var tracker = TurnTracker()
    /// The newest completed turn.
    public internal(set) var lastTurn: TurnMetrics?
    /// Response latencies (``TurnMetrics/latencyMs``) of the current run, and of every run.
    public internal(set) var runLatency = LatencyDistribution()
    public internal(set) var latency = LatencyDistribution()
    /// The latest response latencies of the current run, oldest first (the pane's sparkline).
    public internal(set) var recentLatencies: [Int] = []
    /// Turns completed in every run, and interrupted ones among them.
    public internal(set) var turns = 0
    public internal(set) var interruptedTurns = 0
    /// Runs started after the first (restarts and reconnects the operator asked for).
    public internal(set) var restarts = 0
    /// Errors of the current run (the session's counters keep every run's).
    public internal(set) var runErrors = 0
    /// Interruptions of the current run.
    public internal(set) var runInterruptions = 0

    /// How many latencies the sparkline keeps.
    public static let recentCapacity = 24

    public init() {}

    /// The current run's p50 and p95, kept with each turn so that alert checks and the pane
    /// header cost nothing per event or frame.
    public internal(set) var runP50: Int?
    public internal(set) var runP95: Int?

    /// Folds a completed turn in.
    mutating func record(_ turn: TurnMetrics) {
        lastTurn = turn
        turns += 1
        if turn.interrupted { interruptedTurns += 1 }
        guard let latency = turn.latencyMs else { return }
        runLatency.record(latency)
        self.latency.record(latency)
        let run = runLatency.percentiles(50, 95)
        runP50 = run?.low
        runP95 = run?.high
        recentLatencies.append(latency)
        if recentLatencies.count > Self.recentCapacity { recentLatencies.removeFirst() }
    }

    /// A new run: its figures start from nothing, the session's carry on.
    mutating func beginRun(first: Bool) {
        if !first { restarts += 1 }
        runLatency = LatencyDistribution()
        runP50 = nil
        runP95 = nil
        recentLatencies = []
        runErrors = 0
        runInterruptions = 0
        lastTurn = nil
    }

    /// The headless `metrics` line's figures.
    public var json: JSONValue {
        .object([
            ("turns", .int(turns)),
            ("turns_this_run", .int(tracker.turnsInRun)),
            ("interrupted_turns", .int(interruptedTurns)),
            ("restarts", .int(restarts)),
            ("latency_ms", latency.json),
            ("run_latency_ms", runLatency.json),
            ("recent_ms", .array(recentLatencies.map(JSONValue.int))),
            ("last_turn", lastTurn.map { .object($0.members) } ?? .null),
        ])
    }
}
