/// The thresholds of the alert rules (`[alerts]` in the config; see docs/config.md). The
/// defaults work without a config. A rule whose threshold is 0 never fires.
public struct AlertRules: Sendable, Equatable {
    /// A turn's response latency over this many ms.
    public var slowTurnMs = 3000
    /// The run's p95 response latency over this many ms, once the run has `p95MinTurns` turns.
    public var p95Ms = 2000
    public var p95MinTurns = 5
    /// No agent output this long after the user's turn ended.
    public var deadAirSeconds = 6.0
    /// This many errors within `errorBurstSeconds`.
    public var errorBurstCount = 3
    public var errorBurstSeconds = 30.0
    /// No server event this long while live.
    public var stalledSeconds = 30.0
    /// This many reconnects or restarts within `reconnectSeconds`.
    public var reconnectCount = 3
    public var reconnectSeconds = 120.0
    /// Whether a failed run alerts.
    public var failedRun = true
    /// A tool call or MCP approval unanswered this long.
    public var pendingSeconds = 10.0
    /// Whether the console rings the terminal bell when an alert is raised.
    public var bell = false

    public init() {}

    /// Every rule off: what `convtui-bench engine-scale --no-alerts` runs with, to weigh what the
    /// rules cost.
    public static var off: AlertRules {
        var rules = AlertRules()
        rules.slowTurnMs = 0
        rules.p95Ms = 0
        rules.deadAirSeconds = 0
        rules.errorBurstCount = 0
        rules.stalledSeconds = 0
        rules.reconnectCount = 0
        rules.failedRun = false
        rules.pendingSeconds = 0
        return rules
    }

    /// The config keys of `[alerts]`.
    static let keys: Set<String> = [
        "slow_turn_ms", "p95_ms", "p95_min_turns", "dead_air_s", "error_burst", "error_burst_s", "stalled_s", "reconnects",
        "reconnects_s", "failed", "pending_s", "bell",
    ]

    /// The alert events that bring `state`'s active alerts in line with the rules at `now`
    /// (µs on the session's offsets): a raise for each rule that fires and is not active, a clear
    /// for each active one that no longer fires. Pure, and cheap enough to run after every batch.
    public func transitions(_ state: SessionState, at now: Int64) -> [SessionEvent.Kind] {
        // Nearly every call finds nothing active and nothing firing: answered rule by rule in
        // straight-line code, without the reasons' text or a branch through the rules' switch
        // in a loop (issue 16's profile put that at about 60 ns an event).
        if state.alerts.isEmpty, !anyFires(state, at: now) { return [] }
        var events: [SessionEvent.Kind] = []
        for rule in AlertRule.allCases {
            let reason = firing(rule, state, at: now)
            let active = state.alerts.contains { $0.rule == rule.rawValue }
            if let reason, !active {
                events.append(.alert(rule: rule.rawValue, raised: true, reason: reason))
            } else if reason == nil, active {
                events.append(.alert(rule: rule.rawValue, raised: false, reason: "cleared"))
            }
        }
        return events
    }

    /// Whether any rule fires on `state` at `now`. Lists every rule: one left out here would
    /// never be raised (AlertRulesTests raises each rule in a test of its own).
    private func anyFires(_ state: SessionState, at now: Int64) -> Bool {
        trigger(.slowTurn, state, at: now) != nil || trigger(.highP95, state, at: now) != nil
            || trigger(.deadAir, state, at: now) != nil || trigger(.errorBurst, state, at: now) != nil
            || trigger(.stalled, state, at: now) != nil || trigger(.reconnectLoop, state, at: now) != nil
            || trigger(.failed, state, at: now) != nil || trigger(.pending, state, at: now) != nil
    }

    /// The figure that makes `rule` fire on `state` at `now` (a latency in ms, a count, a time in
    /// µs; 1 for a failed run), nil when it does not fire. No text: ``firing(_:_:at:)`` words it.
    @inline(__always)
    private func trigger(_ rule: AlertRule, _ state: SessionState, at now: Int64) -> Int64? {
        switch rule {
        case .slowTurn:
            guard slowTurnMs > 0, let latency = state.metrics.lastLatencyMs, latency > slowTurnMs else { return nil }
            return Int64(latency)
        case .highP95:
            guard p95Ms > 0, state.metrics.tracker.turnsInRun >= p95MinTurns, let p95 = state.metrics.runP95, p95 > p95Ms else { return nil }
            return Int64(p95)
        case .deadAir:
            guard deadAirSeconds > 0, state.phase.isLive, let since = state.metrics.tracker.awaitingSince,
                Double(now - since) > deadAirSeconds * 1_000_000
            else { return nil }
            return now - since
        case .errorBurst:
            guard errorBurstCount > 0 else { return nil }
            let count = AlertWatch.count(state.alertWatch.errors, within: errorBurstSeconds, before: now)
            return count >= errorBurstCount ? Int64(count) : nil
        case .stalled:
            guard stalledSeconds > 0, state.phase.isLive, let last = state.lastServerEventAt, Double(now - last) > stalledSeconds * 1_000_000 else {
                return nil
            }
            return now - last
        case .reconnectLoop:
            guard reconnectCount > 0 else { return nil }
            let count = AlertWatch.count(state.alertWatch.reconnects, within: reconnectSeconds, before: now)
            return count >= reconnectCount ? Int64(count) : nil
        case .failed:
            guard failedRun, case .failed = state.phase else { return nil }
            return 1
        case .pending:
            guard pendingSeconds > 0, state.phase.isActive, let since = state.alertWatch.pendingSince,
                Double(now - since) > pendingSeconds * 1_000_000
            else { return nil }
            return now - since
        }
    }

    /// Why `rule` fires on `state` at `now`, nil when it does not.
    func firing(_ rule: AlertRule, _ state: SessionState, at now: Int64) -> String? {
        guard let figure = trigger(rule, state, at: now) else { return nil }
        func seconds(_ micros: Int64) -> String { String(format2: Double(micros) / 1_000_000) }
        switch rule {
        case .slowTurn:
            return "turn \(state.metrics.lastTurn?.turn ?? 0) took \(figure) ms (over \(slowTurnMs) ms)"
        case .highP95:
            return "p95 \(figure) ms over \(p95Ms) ms"
        case .deadAir:
            return "no agent output \(seconds(figure)) s after the user's turn"
        case .errorBurst:
            return "\(figure) errors within \(String(format2: errorBurstSeconds)) s" + (state.lastError.map { "; last: \($0)" } ?? "")
        case .stalled:
            return "no server event for \(seconds(figure)) s"
        case .reconnectLoop:
            return "\(figure) reconnects within \(String(format2: reconnectSeconds)) s"
        case .failed:
            guard case .failed(let error) = state.phase else { return nil }
            return "run \(state.run) failed: \(error)"
        case .pending:
            let waiting = (state.pendingToolCalls + state.pendingApprovals).map(\.name).joined(separator: ", ")
            return "\(waiting) waiting \(seconds(figure)) s for the operator"
        }
    }

    /// Reads an `[alerts]` table; `fail(key, message)` makes the error.
    static func parse(_ table: JSONValue, fail: (String?, String) -> ConfigError) throws(ConfigError) -> AlertRules {
        guard case .object(let members) = table else { throw fail(nil, "must be a table") }
        var rules = AlertRules()
        for (key, _) in members where !keys.contains(key) {
            throw fail(key, "unknown key (expected one of \(keys.sorted().joined(separator: ", ")))")
        }
        func number(_ key: String, max: Double) throws(ConfigError) -> Double? {
            guard let value = table[key] else { return nil }
            guard let d = value.doubleValue, d >= 0, d <= max else { throw fail(key, "must be a number from 0 to \(Int(max))") }
            return d
        }
        func count(_ key: String, max: Int) throws(ConfigError) -> Int? {
            guard let value = table[key] else { return nil }
            guard let n = value.intValue, n >= 0, n <= max else { throw fail(key, "must be an integer from 0 to \(max)") }
            return n
        }
        func flag(_ key: String) throws(ConfigError) -> Bool? {
            guard let value = table[key] else { return nil }
            guard let b = value.boolValue else { throw fail(key, "must be true or false") }
            return b
        }
        let day = 86_400.0
        if let v = try count("slow_turn_ms", max: 3_600_000) { rules.slowTurnMs = v }
        if let v = try count("p95_ms", max: 3_600_000) { rules.p95Ms = v }
        if let v = try count("p95_min_turns", max: 1_000_000) { rules.p95MinTurns = v }
        if let v = try number("dead_air_s", max: day) { rules.deadAirSeconds = v }
        if let v = try count("error_burst", max: AlertWatch.capacity) { rules.errorBurstCount = v }
        if let v = try number("error_burst_s", max: day) { rules.errorBurstSeconds = v }
        if let v = try number("stalled_s", max: day) { rules.stalledSeconds = v }
        if let v = try count("reconnects", max: AlertWatch.capacity) { rules.reconnectCount = v }
        if let v = try number("reconnects_s", max: day) { rules.reconnectSeconds = v }
        if let v = try flag("failed") { rules.failedRun = v }
        if let v = try number("pending_s", max: day) { rules.pendingSeconds = v }
        if let v = try flag("bell") { rules.bell = v }
        return rules
    }
}
