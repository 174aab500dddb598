/// A session's turn figures: the latest turn, the current run's distribution and counts, and
/// the session's over all its runs (restarts counted apart, as k9s counts RESTARTS).
public struct SessionMetrics: Sendable, Equatable {
    /// The turn in progress.
    public internal(set) var tracker = TurnTracker()
    /// Turns completed in every run, and interrupted ones among them.
    public internal(set) var turns = 0
    public internal(set) var interruptedTurns = 0
    /// Runs started after the first (restarts and reconnects the operator asked for).
    public internal(set) var restarts = 0
    /// Errors of the current run (the session's counters keep every run's).
    public internal(set) var runErrors = 0
    /// Interruptions of the current run.
    public internal(set) var runInterruptions = 0
    /// The newest completed turn's response latency, and the current run's p50 and p95, kept
    /// with each turn so that alert checks and the pane header cost nothing per event or frame.
    public internal(set) var lastLatencyMs: Int?
    public internal(set) var runP50: Int?
    public internal(set) var runP95: Int?
    /// The latencies and the newest turn, behind one reference: a session publishes its state
    /// after nearly every event, and each published copy retained and released every list in
    /// here, and copied the turn's 200 bytes (issue 16's profiles). What the alert rules read
    /// at every event stays above, out of the box.
    private var latencies = Latencies()

    /// How many latencies the sparkline keeps.
    public static let recentCapacity = 24

    public init() {}

    /// Response latencies (``TurnMetrics/latencyMs``) of the current run, and of every run.
    public var runLatency: LatencyDistribution { latencies.value.run }
    public var latency: LatencyDistribution { latencies.value.all }
    /// The latest response latencies of the current run, oldest first (the pane's sparkline).
    public var recentLatencies: [Int] { latencies.value.recent }
    /// The newest completed turn.
    public var lastTurn: TurnMetrics? { latencies.value.lastTurn }

    /// The latencies of completed turns (the run's, every run's, the newest of the run) and the newest turn.
    private struct Lists: Sendable, Equatable {
        var run = LatencyDistribution()
        var all = LatencyDistribution()
        var recent: [Int] = []
        var lastTurn: TurnMetrics?
    }

    /// ``Lists`` in an immutable box: reading it needs no exclusivity check, and a change
    /// copies the lists in it only while a published state still holds the old box.
    private struct Latencies: Sendable, Equatable {
        private final class Box: Sendable {
            let value: Lists
            init(_ value: Lists) { self.value = value }
        }

        private static let empty = Box(Lists())
        private var box = Latencies.empty

        var value: Lists { box.value }

        mutating func change(_ body: (inout Lists) -> Void) {
            var value = box.value
            // Dropping the box first leaves `value` the lists' only holder when nothing else held it.
            box = Self.empty
            body(&value)
            box = Box(value)
        }

        static func == (lhs: Latencies, rhs: Latencies) -> Bool {
            lhs.box === rhs.box || lhs.box.value == rhs.box.value
        }
    }

    /// Folds a completed turn in.
    mutating func record(_ turn: TurnMetrics) {
        turns += 1
        if turn.interrupted { interruptedTurns += 1 }
        lastLatencyMs = turn.latencyMs
        latencies.change { lists in
            lists.lastTurn = turn
            guard let latency = turn.latencyMs else { return }
            lists.run.record(latency)
            lists.all.record(latency)
            lists.recent.append(latency)
            if lists.recent.count > Self.recentCapacity { lists.recent.removeFirst() }
        }
        guard turn.latencyMs != nil else { return }
        let run = runLatency.percentiles(50, 95)
        runP50 = run?.low
        runP95 = run?.high
    }

    /// A new run: its figures start from nothing, the session's carry on.
    mutating func beginRun(first: Bool) {
        if !first { restarts += 1 }
        latencies.change { lists in lists = Lists(all: lists.all) }
        lastLatencyMs = nil
        runP50 = nil
        runP95 = nil
        runErrors = 0
        runInterruptions = 0
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
