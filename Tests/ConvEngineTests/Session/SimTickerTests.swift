import Testing
@testable import ConvEngine

@Suite("Simulator ticker")
struct SimTickerTests {
    @Test func sleepersWakeAfterTheirDeadlines() async throws {
        let ticker = SimTicker(resolution: .milliseconds(5))
        let start = ContinuousClock.now
        try await ticker.sleep(until: start + .milliseconds(30))
        #expect(ContinuousClock.now - start >= .milliseconds(30))
    }

    @Test func cancellingOneSleeperLeavesTheOthers() async throws {
        let ticker = SimTicker(resolution: .milliseconds(5))
        let far = ContinuousClock.now + .seconds(60)
        let cancelled = Task { try await ticker.sleep(until: far) }
        let kept = Task { try await ticker.sleep(until: .now + .milliseconds(50)) }
        try await Task.sleep(for: .milliseconds(10))
        let clock = ContinuousClock()
        let elapsed = await clock.measure {
            cancelled.cancel()
            _ = await cancelled.result
        }
        // Far below the 60 s deadline: the cancel resumed it (a busy test pool may delay it a little).
        #expect(elapsed < .seconds(10))
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        try await kept.value
    }

    @Test func alreadyCancelledTaskThrowsAtOnce() async {
        let ticker = SimTicker()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await ticker.sleep(until: .now + .seconds(60))
        }
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
