import Foundation
import Synchronization

/// Folds logs once, in the background, to record all their reducer checkpoints.
///
/// Runs on a thread of its own rather than a task: folding a large log is seconds of CPU, which
/// would hold one of the few cooperative threads that sessions and the console run on.
final class ReplayCheckpointPass: Sendable {
    private let cancelled = Atomic<Bool>(false)

    /// Starts folding each `(index, checkpoints)` in turn.
    init(_ logs: [(ReplayIndex, ReplayCheckpoints)]) {
        let thread = Thread { [self] in
            for (index, checkpoints) in logs {
                ReplayCursor.prepare(checkpoints, for: index) { !self.cancelled.load(ordering: .relaxed) }
            }
        }
        thread.name = "convtui-replay-checkpoints"
        thread.start()
    }

    /// Stops the pass at its next checkpoint.
    func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }
}
