import ArgumentParser
import ConvEngine

/// `convtui-bench fold-cost LOG...`: what measuring turns and checking the alert rules add to
/// folding one event, with no I/O, threads or timers in the way (issue 16's "metrics and alerts
/// cost" at its smallest: engine-scale weighs the same in a live engine, with its noise).
///
/// The logs' events (their `turn_metrics` and `alert` lines left out: the fold makes its own)
/// are folded `--repeats` times in three variants, round after round: `bare` (turns not
/// measured), `measured`, and `measured_alerts` (the default rules checked after each event, as
/// a live session checks them after each batch). Prints one JSON line: nanoseconds per event
/// of each (the median of the rounds) and what each adds to `bare`.
struct FoldCostBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fold-cost",
        abstract: "Fold session logs with and without turn metrics and alert checks; prints one JSON line.",
        discussion: """
            Logs to fold come from any recorded run, for instance:
              convtui-bench engine-scale --sessions 200 --seconds 10 --record-dir /tmp/fold-logs
              convtui-bench fold-cost /tmp/fold-logs/*.jsonl
            """)

    @Argument(help: "Session logs (.jsonl).") var logs: [String]
    @Option(help: "Folds of every log per variant and round.") var repeats = 5
    @Option(help: "Rounds; the median is reported.") var rounds = 5

    func validate() throws {
        guard !logs.isEmpty, repeats > 0, rounds > 0 else { throw ValidationError("give logs, and positive --repeats and --rounds") }
    }

    private enum Variant: String, CaseIterable {
        case bare
        case measured
        case measuredAlerts = "measured_alerts"
    }

    func run() throws {
        let runs = try logs.map { path in
            try SessionLogReader.read(path: path).events.filter { event in
                switch event.kind {
                case .turnMetrics, .alert: false
                default: true
                }
            }
        }
        let events = runs.reduce(0) { $0 + $1.count } * repeats
        guard events > 0 else { throw ValidationError("the logs hold no events") }
        var nanoseconds: [Variant: [Double]] = [:]
        var counts = (turns: 0, transitions: 0)
        for _ in 0..<rounds {
            for variant in Variant.allCases {
                let clock = ContinuousClock()
                let elapsed = clock.measure {
                    let folded = fold(runs, variant)
                    if variant == .measuredAlerts { counts = folded }
                }
                nanoseconds[variant, default: []].append(Double(elapsed.nanoseconds) / Double(events))
            }
        }
        let median = nanoseconds.mapValues { $0.sorted()[$0.count / 2] }
        let bare = median[.bare] ?? 0
        var members: [(String, JSONValue)] = [
            ("benchmark", "fold-cost"), ("logs", .int(logs.count)), ("events_per_round", .int(events)),
            ("turns_per_fold", .int(counts.turns)), ("alert_transitions_per_fold", .int(counts.transitions)),
            ("rounds", .int(rounds)),
        ]
        for variant in Variant.allCases {
            members.append(("\(variant.rawValue)_ns_per_event", .number(round1(median[variant] ?? 0))))
        }
        members.append(("measuring_ns_per_event", .number(round1((median[.measured] ?? 0) - bare))))
        members.append(("alert_check_ns_per_event", .number(round1((median[.measuredAlerts] ?? 0) - (median[.measured] ?? 0)))))
        print(JSONWriter.string(.object(members)))
    }

    /// Folds every run `repeats` times; the turns measured and alert transitions found in one
    /// pass over the runs (used, so that no fold can be optimised away).
    private func fold(_ runs: [[SessionEvent]], _ variant: Variant) -> (turns: Int, transitions: Int) {
        let rules = AlertRules()
        var counts = (turns: 0, transitions: 0)
        for _ in 0..<repeats {
            counts = (0, 0)
            for events in runs {
                var state = SessionState(backend: "sim", measuresTurns: variant != .bare)
                for event in events {
                    state.apply(event)
                    if variant == .measuredAlerts { counts.transitions += rules.transitions(state, at: event.offset).count }
                }
                counts.turns += state.metrics.turns
            }
        }
        return counts
    }

    private func round1(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}

extension Duration {
    /// The whole duration in nanoseconds.
    fileprivate var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
