/// One kind of trouble an operator is alerted to; its raw value names it in logs and headless output.
public enum AlertRule: String, Sendable, CaseIterable {
    /// A turn's response latency over ``AlertRules/slowTurnMs``.
    case slowTurn = "slow_turn"
    /// The run's p95 response latency over ``AlertRules/p95Ms``.
    case highP95 = "p95"
    /// No agent output ``AlertRules/deadAirSeconds`` after the user's turn ended.
    case deadAir = "dead_air"
    /// ``AlertRules/errorBurstCount`` errors within ``AlertRules/errorBurstSeconds``.
    case errorBurst = "error_burst"
    /// No server event for ``AlertRules/stalledSeconds`` while live.
    case stalled
    /// ``AlertRules/reconnectCount`` reconnects or restarts within ``AlertRules/reconnectSeconds``.
    case reconnectLoop = "reconnect_loop"
    /// The run failed.
    case failed
    /// A tool call or MCP approval unanswered for ``AlertRules/pendingSeconds``.
    case pending
}

/// An alert that is firing: since when, and why.
public struct ActiveAlert: Sendable, Equatable {
    public var rule: String
    /// Offset (µs) of the `alert` event that raised it.
    public var since: Int64
    public var reason: String
    /// The run it was raised in.
    public var run: Int

    public init(rule: String, since: Int64, reason: String, run: Int) {
        self.rule = rule
        self.since = since
        self.reason = reason
        self.run = run
    }

    /// Its form in headless output.
    public var json: JSONValue {
        .object([("rule", .string(rule)), ("since", .number(Double(since) / 1_000_000)), ("run", .int(run)), ("reason", .string(reason))])
    }
}
