/// The render loop's pane frames, kept between draws so that a draw makes again only the
/// frames that can have changed: panes whose snapshot moved, and once a second those whose
/// run is active (their times move) or whose figures the ``FigureThrottle`` held back. An ended
/// session's frame is kept as it is, so a table of ten thousand idle sessions costs a draw of
/// the visible rows a second, not ten thousand frames.
package struct PaneFrameCache {
    package private(set) var frames: [PaneFrame] = []
    /// Each pane's version when its frame was last made on a new second (figures up to date).
    private var refreshed: [UInt64] = []
    private var moved: [Int] = []
    private var remakeAll = true

    package init() {}

    /// Notes that pane `pane`'s snapshot moved since the last draw.
    package mutating func moved(_ pane: Int) { moved.append(pane) }

    /// Whether any pane's snapshot moved since the last draw.
    package var hasMoved: Bool { !moved.isEmpty }

    /// Makes every frame again at the next update (after a key: a freeze or a seek changes
    /// what a frame shows without a new snapshot, and the figures are all brought up to date).
    package mutating func remakeAllFrames() { remakeAll = true }

    /// Brings the frames up to date for a draw. `versions` are the panes' snapshot versions,
    /// `newSecond` whether the wall clock's second turned since the last draw, `isActive`
    /// whether a pane's run is under way, and `make` makes a pane's frame.
    package mutating func update(versions: [UInt64], newSecond: Bool, isActive: (Int) -> Bool, make: (Int) -> PaneFrame) {
        if remakeAll || frames.count != versions.count {
            frames = versions.indices.map(make)
            refreshed = versions
        } else if newSecond {
            for pane in versions.indices where versions[pane] != refreshed[pane] || isActive(pane) {
                frames[pane] = make(pane)
                refreshed[pane] = versions[pane]
            }
        } else {
            for pane in moved { frames[pane] = make(pane) }
        }
        moved.removeAll(keepingCapacity: true)
        remakeAll = false
    }
}
