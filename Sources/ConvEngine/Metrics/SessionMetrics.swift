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
    /// What only a completed turn or a new run changes, behind one reference: a session
    /// publishes its state after nearly every event, and each published copy retained and
    /// released every distribution and list in here (issue 16's profile).
    private var figures = Figures()

    /// How many latencies the sparkline keeps.
    public static let recentCapacity = 24

    public init() {}

    /// The newest completed turn.
    public var lastTurn: TurnMetrics? { figures.value.lastTurn }
    /// Response latencies (``TurnMetrics/latencyMs``) of the current run, and of every run.
    public var runLatency: LatencyDistribution { figures.value.runLatency }
    public var latency: LatencyDistribution { figures.value.latency }
    /// The latest response latencies of the current run, oldest first (the pane's sparkline).
    public var recentLatencies: [Int] { figures.value.recentLatencies }
    /// The current run's p50 and p95, kept with each turn so that alert checks and the pane
    /// header cost nothing per event or frame.
    public var runP50: Int? { figures.value.runP50 }
    public var runP95: Int? { figures.value.runP95 }

    /// The figures of completed turns.
    private struct TurnFigures: Sendable, Equatable {
        var lastTurn: TurnMetrics?
        var runLatency = LatencyDistribution()
        var latency = LatencyDistribution()
        var recentLatencies: [Int] = []
        var runP50: Int?
        var runP95: Int?
    }

    /// ``TurnFigures`` in an immutable box: reading it needs no exclusivity check, and a change
    /// copies the lists in it only while a published state still holds the old box.
    private struct Figures: Sendable, Equatable {
        private final class Box: Sendable {
            let value: TurnFigures
            init(_ value: TurnFigures) { self.value = value }
        }

        private static let empty = Box(TurnFigures())
        private var box = Figures.empty

        var value: TurnFigures { box.value }

        mutating func change(_ body: (inout TurnFigures) -> Void) {
            var value = box.value
            // Dropping the box first leaves `value` the lists' only holder when nothing else held it.
            box = Self.empty
            body(&value)
            box = Box(value)
        }

        static func == (lhs: Figures, rhs: Figures) -> Bool {
            lhs.box === rhs.box || lhs.box.value == rhs.box.value
        }
    }

    /// Folds a completed turn in.
    mutating func record(_ turn: TurnMetrics) {
        turns += 1
        if turn.interrupted { interruptedTurns += 1 }
        figures.change { figures in
            figures.lastTurn = turn
            guard let latency = turn.latencyMs else { return }
            figures.runLatency.record(latency)
            figures.latency.record(latency)
            let run = figures.runLatency.percentiles(50, 95)
            figures.runP50 = run?.low
            figures.runP95 = run?.high
            figures.recentLatencies.append(latency)
            if figures.recentLatencies.count > Self.recentCapacity { figures.recentLatencies.removeFirst() }
        }
    }

    /// A new run: its figures start from nothing, the session's carry on.
    mutating func beginRun(first: Bool) {
        if !first { restarts += 1 }
        figures.change { figures in
            figures = TurnFigures(latency: figures.latency)
        }
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
