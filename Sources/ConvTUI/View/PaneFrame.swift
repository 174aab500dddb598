import ConvEngine

/// One pane's data for a frame: its latest snapshot, that snapshot's version, and the pane's
/// clock now (for a live run's elapsed time).
struct PaneFrame: Sendable {
    let snapshot: SessionSnapshot
    let version: UInt64
    let now: Int64
    /// A frozen replay pane: drawn dimmed, with a marker.
    var isFrozen = false
}
