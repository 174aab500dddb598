extension SessionSnapshot {
    /// A session as an agent's `GET /v1/sessions` lists it: who, where it is, and a summary of
    /// its counters and turn figures (the whole state streams through the watch).
    public var fleetJSON: JSONValue {
        let metrics = state.metrics
        var members = whoAndWhere(numberKey: "number")
        members += [
            ("log", .optional(logPath)),
            ("events_in", .int(state.counters.eventsIn)),
            ("events_out", .int(state.counters.eventsOut)),
            ("errors", .int(state.counters.errors)),
            ("turns", .int(metrics.turns)),
            ("restarts", .int(metrics.restarts)),
            ("p50_ms", metrics.latency.percentile(50).map(JSONValue.int) ?? .null),
            ("p95_ms", metrics.latency.percentile(95).map(JSONValue.int) ?? .null),
            ("alerts_raised", .int(state.alertsRaised)),
            ("alerts", .array(state.alerts.map(\.json))),
            ("pending_tool_calls", .array(state.pendingToolCalls.map(\.json))),
        ]
        return .object(members)
    }
}

extension SessionBoard {
    /// `{"sessions":[…]}`: every session's ``SessionSnapshot/fleetJSON``.
    public func fleetJSON() -> JSONValue {
        .object([("sessions", .array(sessions.map(\.snapshot.fleetJSON)))])
    }

    /// Each session's log header as a watcher receives it before the session's events (the
    /// same fields as the first line of its log; offset 0 is when the session was made).
    public func watchHeaders() -> [SessionLogHeader] {
        let now = WallClock.nowMicros()
        return sessions.map { session in
            SessionLogHeader(
                sessionNumber: session.number, sessionName: session.name, backend: session.snapshot.state.backend,
                startedAtMicros: now - session.currentOffset(), transcriptCapacity: session.snapshot.state.transcript.capacity,
                eventCapacity: session.snapshot.state.recentEvents.capacity)
        }
    }

    /// Each session's log that holds every event the session consumed, by number: where a
    /// watcher's past older than the journal's ring is read from. A log that lost lines (a
    /// full or failing disk) is left out: its lines no longer match the journal's count.
    public func logSources() -> [Int: SessionLogSource] {
        var sources: [Int: SessionLogSource] = [:]
        for session in sessions {
            let state = session.snapshot.state
            guard let path = session.logPath, state.recordingIssue == nil, state.recordingLostLines == 0 else { continue }
            sources[session.number] = SessionLogSource(path: path, name: session.name)
        }
        return sources
    }
}
