import ConvEngine

/// One pane's data for a frame: its latest snapshot, that snapshot's version, and the figures
/// its header and footer show (which the render loop refreshes at most once a second).
package struct PaneFrame: Sendable {
    package let snapshot: SessionSnapshot
    package let version: UInt64
    package let figures: PaneFigures
    /// A frozen replay pane: drawn dimmed, with a marker.
    package var isFrozen = false
    /// The word on a frozen pane's frame (the driver's ``ConsoleDriver/frozenMarker``).
    package var frozenMarker = "frozen"
    /// Whether the operator can answer the pane's pending calls (a live session, not a replay):
    /// the row that shows them then names the keys.
    package var answersCalls = true
    /// A line about where the pane's data came from (a replayed log's skipped lines), shown
    /// on the pane's last row.
    package var note: String?
    /// The pane's user and agent levels, when the console meters audio (the header shows them).
    package var levels: LevelMeters.Reading?

    package init(
        snapshot: SessionSnapshot, version: UInt64, figures: PaneFigures, isFrozen: Bool = false, frozenMarker: String = "frozen",
        answersCalls: Bool = true, note: String? = nil, levels: LevelMeters.Reading? = nil
    ) {
        self.levels = levels
        self.frozenMarker = frozenMarker
        self.snapshot = snapshot
        self.version = version
        self.figures = figures
        self.isFrozen = isFrozen
        self.answersCalls = answersCalls
        self.note = note
    }

    /// A pane whose figures are current, with its clock at `now`.
    package init(snapshot: SessionSnapshot, version: UInt64, now: Int64, isFrozen: Bool = false, answersCalls: Bool = true) {
        self.init(
            snapshot: snapshot, version: version, figures: PaneFigures(snapshot.state, now: now), isFrozen: isFrozen, answersCalls: answersCalls)
    }
}
