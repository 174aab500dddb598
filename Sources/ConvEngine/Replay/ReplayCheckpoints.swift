/// The reducer checkpoints of one log: the state after every `stride`-th event, once known.
///
/// Shared between the cursor that plays the log and a background pass that folds the whole
/// log ahead of it (see ``ReplayPlayer``), so that soon after opening, a seek anywhere folds at
/// most `stride` events. Either side records a checkpoint as its fold passes it; both folds are
/// the same fold, so whichever records first records the same state.
final class ReplayCheckpoints: Sendable {
    /// Most checkpoints kept per log; the stride grows with the log to stay under it. A
    /// checkpoint costs about as much as one pane's state (~100 KB with the default rings), and
    /// at ~2 µs per folded event this keeps a seek in a 1 GB log near 20 ms.
    static let maxCount = 1024
    /// Fewest events between checkpoints, in anchors (16 × 256 events: a few ms of folding), so
    /// that small and medium logs hold few checkpoints.
    static let minimumAnchorsPerCheckpoint = 16

    /// Events between two checkpoints (a multiple of the index's anchor interval).
    let stride: Int
    /// Slot `k` holds the state after `k × stride` events.
    private let slots: Locked<[SessionState?]>

    init(index: ReplayIndex, minimumAnchorsPerCheckpoint: Int = ReplayCheckpoints.minimumAnchorsPerCheckpoint) {
        let anchorsPerCheckpoint = max(minimumAnchorsPerCheckpoint, 1, (index.anchors.count + Self.maxCount - 1) / Self.maxCount)
        stride = anchorsPerCheckpoint * ReplayIndex.anchorInterval
        var slots = [SessionState?](repeating: nil, count: index.eventCount / stride + 1)
        slots[0] = index.header.emptyState()
        self.slots = Locked(slots)
    }

    /// The highest recorded checkpoint at or below `slot`, with its slot number.
    func nearest(atOrBelow slot: Int) -> (slot: Int, state: SessionState) {
        slots.withLock { slots in
            var k = min(slot, slots.count - 1)
            while slots[k] == nil { k -= 1 }
            return (k, slots[k]!)
        }
    }

    /// Records the state after `slot × stride` events, unless it is known already.
    func record(_ state: SessionState, slot: Int) {
        slots.withLock { slots in
            if slots[slot] == nil { slots[slot] = state }
        }
    }

    /// Whether every checkpoint is known (a seek anywhere is short from now on).
    var isComplete: Bool {
        slots.withLock { slots in slots.allSatisfy { $0 != nil } }
    }
}
