/// The reducer state of one log after any number of its events, reached quickly in both
/// directions.
///
/// Moving forward folds the next events from the file. Moving backward restores the nearest
/// earlier checkpoint (a ``SessionState`` kept every ``checkpointStride`` events) and folds
/// forward from its anchor, so the state after `n` events is always exactly the fold of the
/// first `n` events. Checkpoints are taken as folding passes their positions (a first jump far
/// into a huge log folds up to there once; later jumps are short), and there are at most
/// ``maxCheckpoints`` of them, so memory stays bounded however long the log.
///
/// Owns an open file; used by one thread (the player's owner).
final class ReplayCursor {
    /// Most checkpoints kept per log; the stride grows with the log to stay under it.
    static let maxCheckpoints = 256

    let index: ReplayIndex
    /// Events between two checkpoints (a multiple of the index's anchor interval).
    let checkpointStride: Int
    /// The state after the first ``applied`` events.
    private(set) var state: SessionState
    private(set) var applied = 0
    private var checkpoints: [SessionState?]
    private var scanner: LineScanner
    private let classifier: EventLineClassifier

    init(index: ReplayIndex) throws(LogFormatError) {
        self.index = index
        let anchorsPerCheckpoint = max(1, (index.anchors.count + Self.maxCheckpoints - 1) / Self.maxCheckpoints)
        checkpointStride = anchorsPerCheckpoint * ReplayIndex.anchorInterval
        state = index.header.emptyState()
        checkpoints = Array(repeating: nil, count: index.eventCount / checkpointStride + 1)
        checkpoints[0] = state
        scanner = try LineScanner(path: index.path)
        classifier = EventLineClassifier(validation: index.validation)
        rewind(toCheckpoint: 0)
    }

    /// Moves to the state after the first `count` events (clamped to the log).
    func move(toEventCount count: Int) {
        let target = min(max(0, count), index.eventCount)
        guard target != applied else { return }
        var nearest = target / checkpointStride
        while checkpoints[nearest] == nil { nearest -= 1 }
        if target < applied || nearest * checkpointStride > applied {
            rewind(toCheckpoint: nearest)
        }
        while applied < target, case let (line, event)? = classifier.next(from: &scanner, decoding: true) {
            guard case .event = line else { continue }
            // A line whose prefix indexed as an event but whose payload does not decode is
            // corrupt; it still counts as the index's event so positions stay aligned.
            if let event { state.apply(event) }
            applied += 1
            if applied % checkpointStride == 0, checkpoints[applied / checkpointStride] == nil {
                checkpoints[applied / checkpointStride] = state
            }
        }
    }

    private func rewind(toCheckpoint number: Int) {
        guard let saved = checkpoints[number] else { return }
        state = saved
        applied = number * checkpointStride
        let slot = applied / ReplayIndex.anchorInterval
        // Past the last anchor there is nothing left to read (the checkpoint is the log's end).
        if slot < index.anchors.count {
            scanner.seek(to: index.anchors[slot].byteOffset, lineNumber: index.anchors[slot].lineNumber)
        }
    }
}
