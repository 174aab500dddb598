import ConvEngine
import Prometheus

/// An agent's Prometheus metrics (`GET /metrics`), through swift-prometheus.
///
/// Turn latencies are histograms fed as turns complete (``observe(session:name:_:)``, a
/// session observer: one histogram record, no wait). Everything else is read from the
/// sessions' snapshots when scraped (``scrape(_:)``), so the figures are those the sessions
/// show; counters grow by what the snapshots grew since the last scrape.
public final class AgentMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// Whether every series also carries the session's name.
    public let labelSessions: Bool
    /// Each session's latency histograms by stage, by session number - 1.
    private let histograms: [[String: DurationHistogram]]
    private let reported = Locked<[FleetTally.Key: FleetTally.Totals]>([:])
    private let droppedAudio: Counter
    private let watchersCut: Counter

    /// The stages of a turn the latency histograms measure (``TurnMetrics``).
    public static let stages = ["response", "voice_to_voice", "endpointing", "first_text", "first_audio"]

    /// Upper bounds of the latency buckets.
    public static let latencyBuckets: [Duration] = [50, 100, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 10_000]
        .map { .milliseconds($0) }

    /// - Parameter sessions: the backend and name of each session, in board order (known
    ///   before the board is made, whose sessions report to ``observe(session:_:)``).
    public init(sessions: [(backend: String, name: String)], labelSessions: Bool) {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        self.labelSessions = labelSessions
        var byKey: [FleetTally.Key: [String: DurationHistogram]] = [:]
        histograms = sessions.map { session in
            let key = FleetTally.Key(backend: session.backend, session: labelSessions ? session.name : nil)
            if let known = byKey[key] { return known }
            var byStage: [String: DurationHistogram] = [:]
            for stage in Self.stages {
                byStage[stage] = registry.makeDurationHistogram(
                    descriptor: Self.name("turn_latency", "seconds", "Completed turns' latencies by stage (response: voice to voice, else first text)"),
                    labels: key.labels + [("stage", stage)], buckets: Self.latencyBuckets)
            }
            byKey[key] = byStage
            return byStage
        }
        droppedAudio = registry.makeCounter(descriptor: Self.name("watch_dropped_audio", "total", "Audio chunks dropped for lagging watchers"))
        watchersCut = registry.makeCounter(descriptor: Self.name("watchers_cut", "total", "Watchers cut off for falling behind"))
    }

    /// A session observer: records a completed turn's latencies for session `number`.
    public func observe(session number: Int, _ event: SessionEvent) {
        guard case .turnMetrics(let turn) = event.kind, histograms.indices.contains(number - 1) else { return }
        let byStage = histograms[number - 1]
        let figures: [(String, Int?)] = [
            ("response", turn.latencyMs), ("voice_to_voice", turn.voiceToVoiceMs), ("endpointing", turn.endpointingMs),
            ("first_text", turn.firstTextMs), ("first_audio", turn.firstAudioMs),
        ]
        for (stage, milliseconds) in figures {
            guard let milliseconds, milliseconds >= 0 else { continue }
            byStage[stage]?.record(.milliseconds(milliseconds))
        }
    }

    /// Counts what a watcher lost: audio chunks dropped, and whether it was cut off.
    public func watcherLost(droppedAudio: Int, cut: Bool) {
        self.droppedAudio.increment(by: Int64(droppedAudio))
        if cut { watchersCut.increment() }
    }

    /// The metrics in Prometheus text format, brought up to date with `board` and `journal`.
    public func scrape(_ board: SessionBoard, journal: EventJournal) -> [UInt8] {
        let tally = FleetTally(board.sessions.map(\.snapshot), bySession: labelSessions)
        for (key, phases) in tally.phases {
            for (phase, count) in phases {
                registry.makeGauge(descriptor: Self.name("sessions", "", "Sessions by phase"), labels: key.labels + [("phase", phase)])
                    .set(Double(count))
            }
            registry.makeGauge(descriptor: Self.name("alerts_active", "", "Alerts firing now"), labels: key.labels)
                .set(Double(tally.activeAlerts[key] ?? 0))
        }
        reported.withLock { reported in
            for (key, totals) in tally.totals {
                let before = reported[key] ?? FleetTally.Totals()
                let grown: [(String, String, Int, Int)] = [
                    ("events_in", "Events received from the backends", totals.eventsIn, before.eventsIn),
                    ("events_out", "Events sent to the backends", totals.eventsOut, before.eventsOut),
                    ("errors", "Errors (failed runs, server errors, malformed events)", totals.errors, before.errors),
                    ("reconnects", "Runs started after a session's first", totals.reconnects, before.reconnects),
                    ("alerts_raised", "Alerts raised", totals.alertsRaised, before.alertsRaised),
                    ("turns", "Completed turns", totals.turns, before.turns),
                    ("interrupted_turns", "Turns the user interrupted", totals.interruptedTurns, before.interruptedTurns),
                ]
                for (name, help, now, then) in grown {
                    let counter = registry.makeCounter(descriptor: Self.name(name, "total", help), labels: key.labels)
                    if now > then { counter.increment(by: Int64(now - then)) }
                }
                reported[key] = totals
            }
        }
        registry.makeGauge(descriptor: Self.name("watchers", "", "Watchers following the event stream")).set(Double(journal.watcherCount))
        registry.makeGauge(descriptor: Self.name("events_sequenced", "", "Events the agent has numbered"))
            .set(Double(journal.nextSequence - 1))
        return registry.emitToBuffer()
    }

    /// `convtui_NAME_UNIT` with its help text.
    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "convtui", metricName: metric, unitName: unit, helpText: help)
    }
}
