import ConvEngine

/// The figures a pane's header and footer show besides its phase: the run's elapsed time,
/// the last latencies and the counters. They change with nearly every event (audio chunks
/// move the counters ten times a second), so the console shows them through a
/// ``FigureThrottle`` rather than redrawing a pane's edges for each change.
package struct PaneFigures: Equatable, Sendable {
    /// Microseconds the run has lasted, if one started.
    package var elapsed: Int64?
    package var responseMilliseconds: Int?
    package var pingMilliseconds: Int?
    package var counters: SessionCounters
    /// The current run's turn latencies: p50, p95 and the latest few (a sparkline).
    package var p50Milliseconds: Int?
    package var p95Milliseconds: Int?
    package var recentLatencies: [Int] = []
    /// The current run's errors and interruptions, and the restarts before it.
    package var runErrors = 0
    package var runInterruptions = 0
    package var restarts = 0
    /// The alerts firing (rule names, oldest first).
    package var alerts: [String] = []
    /// Microseconds since the last server event, while live.
    package var serverAge: Int64?
    /// Whether the run failed.
    package var failed = false

    /// The figures of `state` with the pane's clock at `now` (a live run's elapsed time).
    package init(_ state: SessionState, now: Int64) {
        p50Milliseconds = state.metrics.runP50
        p95Milliseconds = state.metrics.runP95
        recentLatencies = state.metrics.recentLatencies
        runErrors = state.metrics.runErrors
        runInterruptions = state.metrics.runInterruptions
        restarts = state.metrics.restarts
        alerts = state.alerts.map(\.rule)
        if state.phase.isLive, let last = state.lastServerEventAt { serverAge = max(0, max(now, state.lastEventAt) - last) }
        if case .failed = state.phase { failed = true }
        elapsed = state.runStartedAt.map { started in
            let end = state.runEndedAt ?? (state.phase.isActive ? max(now, state.lastEventAt) : state.lastEventAt)
            return end - started
        }
        responseMilliseconds = state.lastResponseMilliseconds
        pingMilliseconds = state.lastPingMilliseconds
        counters = state.counters
    }
}

/// Keeps the figures each pane shows and brings them up to date at most once a second (when
/// the wall clock's second changes, as `top` or k9s refresh), so that counters and times
/// change together with the status clock instead of in a stream of one-cell updates. The
/// phase badge is not a figure and changes at once; a pane that counts a new error or whose
/// alerts change is brought up to date at once too, since that is what an operator watches for.
package struct FigureThrottle: Sendable {
    private var shown: [Int: PaneFigures] = [:]
    private var second: Int?

    package init() {}

    /// Forgets what is shown, so every pane's next figures are current (after a key: a seek or
    /// a restart should not show old numbers).
    package mutating func refreshAll() {
        shown = [:]
    }

    /// The figures pane `pane` shows in wall-clock second `second`; `now` is the pane's clock,
    /// read only when the figures are brought up to date.
    package mutating func figures(pane: Int, state: SessionState, second: Int, now: () -> Int64) -> PaneFigures {
        if second != self.second {
            self.second = second
            shown = [:]
        }
        if let known = shown[pane], known.counters.errors == state.counters.errors, known.alerts.count == state.alerts.count {
            return known
        }
        let figures = PaneFigures(state, now: now())
        shown[pane] = figures
        return figures
    }
}

extension PaneFigures {
    /// What kind of trouble the pane is in, if any: the colour of its frame. Alerts outrank
    /// errors (an error burst is both).
    package var trouble: CellStyle.Tint? {
        if !alerts.isEmpty { return .alert }
        if runErrors > 0 || failed { return .error }
        return nil
    }

    /// The latest latencies as a sparkline, one block per turn scaled to the largest.
    package var sparkline: String {
        guard let top = recentLatencies.max(), top > 0 else { return "" }
        let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        return String(recentLatencies.map { blocks[min(blocks.count - 1, $0 * blocks.count / (top + 1))] })
    }
}
