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

    /// The figures of `state` with the pane's clock at `now` (a live run's elapsed time).
    package init(_ state: SessionState, now: Int64) {
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
/// phase badge is not a figure and changes at once; a pane that counts a new error is brought
/// up to date at once too, since that is what an operator watches for.
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
        if let known = shown[pane], known.counters.errors == state.counters.errors {
            return known
        }
        let figures = PaneFigures(state, now: now())
        shown[pane] = figures
        return figures
    }
}
