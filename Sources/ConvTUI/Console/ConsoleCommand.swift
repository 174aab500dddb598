/// Something the operator asked the sessions to do; ``update`` returns these and the runtime
/// hands them to the ``ConsoleDriver``. Panes are 0-based indexes.
enum ConsoleCommand: Equatable, Sendable {
    case start(pane: Int)
    case stop(pane: Int)
    case restart(pane: Int)
    case send(pane: Int, text: String)
    case startAll
    case stopAll
    /// Drives the replay clock (replay mode only).
    case replay(ReplayControl)
}

/// What the replay keys ask of the replay clock. Panes are 0-based indexes.
enum ReplayControl: Equatable, Sendable {
    case togglePlay, faster, slower
    /// Moves the clock by this many seconds (negative: back).
    case seek(seconds: Int)
    case previousEvent(pane: Int), nextEvent(pane: Int)
    /// The previous or next interruption or error in any pane.
    case previousMark, nextMark
    case toStart, toEnd
    /// Goes to this timeline time, in microseconds.
    case goTo(micros: Int64)
}
