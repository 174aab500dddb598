import Foundation
import Synchronization

/// Fails the run when one input takes longer than the budget: a hang is a finding too, and a
/// parser stuck in a loop would otherwise never return to be timed.
final class FuzzWatchdog: Sendable {
    private let budgetNanoseconds: UInt64
    private let target: String
    private let seed: UInt64
    /// Input being run, and when it started (0 while between inputs).
    private let current = Atomic<UInt64>(0)
    private let startedAt = Atomic<UInt64>(0)

    init(budget: Duration, target: String, seed: UInt64) {
        let (seconds, attoseconds) = budget.components
        budgetNanoseconds = UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
        self.target = target
        self.seed = seed
    }

    func start() {
        Thread.detachNewThread { [self] in
            while true {
                Thread.sleep(forTimeInterval: 0.05)
                let began = startedAt.load(ordering: .acquiring)
                if began != 0, DispatchTime.now().uptimeNanoseconds - began > budgetNanoseconds {
                    let index = current.load(ordering: .relaxed)
                    FileHandle.standardError.write(Data("HANG: \(target) input \(index) exceeded its budget; reproduce with convtui-fuzz \(target) --seed \(seed) --only \(index) …\n".utf8))
                    exit(3)
                }
            }
        }
    }

    func begin(_ index: UInt64) {
        current.store(index, ordering: .relaxed)
        startedAt.store(DispatchTime.now().uptimeNanoseconds, ordering: .releasing)
    }

    func end() { startedAt.store(0, ordering: .releasing) }
}
