/// The reducer state of one log after any number of its events, reached quickly in both
/// directions.
///
/// Moving forward folds the next events from the file. Moving backward (or far forward)
/// restores the nearest checkpoint at or before the target (see ``ReplayCheckpoints``) and
/// folds forward from its anchor, so the state after `n` events is always exactly the fold of
/// the first `n` events. The cursor records checkpoints as its fold passes them.
///
/// Owns an open file; used by one thread at a time.
final class ReplayCursor {
    let index: ReplayIndex
    let checkpoints: ReplayCheckpoints
    /// The state after the first ``applied`` events.
    private(set) var state: SessionState
    private(set) var applied = 0
    private var scanner: LineScanner
    private let classifier: EventLineClassifier

    /// A cursor at the start of the log, sharing `checkpoints` (new ones by default).
    init(index: ReplayIndex, checkpoints: ReplayCheckpoints? = nil) throws(LogFormatError) {
        self.index = index
        self.checkpoints = checkpoints ?? ReplayCheckpoints(index: index)
        state = index.header.emptyState()
        scanner = try LineScanner(path: index.path)
        classifier = EventLineClassifier(validation: index.validation)
        restore(slot: 0, state)
    }

    /// Moves to the state after the first `count` events (clamped to the log).
    func move(toEventCount count: Int) {
        let target = min(max(0, count), index.eventCount)
        guard target != applied else { return }
        let stride = checkpoints.stride
        let nearest = checkpoints.nearest(atOrBelow: target / stride)
        if target < applied || nearest.slot * stride > applied {
            restore(slot: nearest.slot, nearest.state)
        }
        while applied < target, case let (line, event)? = classifier.next(from: &scanner, decoding: true) {
            guard case .event = line else { continue }
            // A line whose prefix indexed as an event but whose payload does not decode is
            // corrupt; it still counts as the index's event so positions stay aligned.
            if let event { state.apply(event) }
            applied += 1
            if applied % stride == 0 { checkpoints.record(state, slot: applied / stride) }
        }
    }

    private func restore(slot: Int, _ saved: SessionState) {
        state = saved
        applied = slot * checkpoints.stride
        let anchor = applied / ReplayIndex.anchorInterval
        // Past the last anchor there is nothing left to read (the checkpoint is the log's end).
        if anchor < index.anchors.count {
            scanner.seek(to: index.anchors[anchor].byteOffset, lineNumber: index.anchors[anchor].lineNumber)
        }
    }

    /// Folds the whole log with a cursor of its own, recording every checkpoint into
    /// `checkpoints`; stops early once `continuing` says so (it is asked at every checkpoint).
    static func prepare(_ checkpoints: ReplayCheckpoints, for index: ReplayIndex, while continuing: () -> Bool = { true }) {
        guard let cursor = try? ReplayCursor(index: index, checkpoints: checkpoints) else { return }
        var target = 0
        while target < index.eventCount, continuing() {
            target = min(index.eventCount, target + checkpoints.stride)
            cursor.move(toEventCount: target)
        }
    }
}
