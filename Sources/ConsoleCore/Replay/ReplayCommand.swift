/// What the replay console asks of its clock and panes. Panes are 0-based indexes.
package enum ReplayCommand: Hashable, Sendable {
    /// Holds a pane's snapshot while the clock moves, or lets it catch up again.
    case freeze(pane: Int), resume(pane: Int)
    case freezeAll, resumeAll
    case togglePlay, faster, slower
    /// Moves the clock by this many seconds (negative: back).
    case seek(seconds: Int)
    case previousEvent(pane: Int), nextEvent(pane: Int)
    /// The previous or next interruption or error in any pane.
    case previousMark, nextMark
    /// The previous or next operator mark (`mark`) in any pane.
    case previousOperatorMark, nextOperatorMark
    case toStart, toEnd
    /// Goes to this timeline time, in microseconds.
    case goTo(micros: Int64)
}
