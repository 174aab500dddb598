extension SessionBoard {
    /// How often the time-driven alert rules (dead air, stalled, pending) are checked.
    public static let alertCheckInterval = Duration.seconds(1)

    /// Checks every session's time-driven alert rules until the calling task is cancelled
    /// (the console and headless run it beside the board). Each check takes only that
    /// session's lock, briefly.
    public func watchAlerts(every interval: Duration = SessionBoard.alertCheckInterval) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            for session in sessions { session.checkAlerts() }
        }
    }

    /// Every alert firing now, session by session: the headless `alerts` line.
    public func alertsJSON() -> JSONValue {
        var list: [JSONValue] = []
        for session in sessions {
            for alert in session.snapshot.state.alerts {
                guard case .object(let members) = alert.json else { continue }
                list.append(.object([("session", .int(session.number)), ("name", .string(session.name))] + members))
            }
        }
        return .object([("type", "alerts"), ("count", .int(list.count)), ("alerts", .array(list))])
    }
}

extension SessionSnapshot {
    /// The headless `metrics N` line: the session's turn figures and latency distributions.
    public var metricsJSON: JSONValue {
        var members: [(String, JSONValue)] = [
            ("type", "metrics"), ("session", .int(number)), ("name", .string(name)), ("phase", .string(state.phase.name)),
            ("run", .int(state.run)),
        ]
        if case .object(let figures) = state.metrics.json { members += figures }
        members += [
            ("run_errors", .int(state.metrics.runErrors)), ("run_interruptions", .int(state.metrics.runInterruptions)),
            ("alerts_raised", .int(state.alertsRaised)), ("active_alerts", .array(state.alerts.map(\.json))),
        ]
        return .object(members)
    }
}
