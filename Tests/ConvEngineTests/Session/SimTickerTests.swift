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

@Suite("Simulator ticker scheduling")
struct SimTickerSchedulingTests {
    @Test func aLoneSleeperCostsOneFiringNotAPoll() async throws {
        let ticker = SimTicker(resolution: .milliseconds(5))
        try await ticker.sleep(until: .now + .milliseconds(200))
        // A fixed 5 ms tick would have fired about 40 times.
        #expect(ticker.firings == 1)
    }

    @Test func anEarlierSleeperIsNotHeldBackByALaterOne() async throws {
        let ticker = SimTicker(resolution: .milliseconds(5))
        let far = Task { try await ticker.sleep(until: .now + .seconds(60)) }
        try await Task.sleep(for: .milliseconds(20))
        let start = ContinuousClock.now
        try await ticker.sleep(until: start + .milliseconds(30))
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(30))
        // Far below the 60 s deadline of the timer that was pending (a busy test pool may delay it).
        #expect(elapsed < .seconds(10))
        far.cancel()
        await #expect(throws: CancellationError.self) { try await far.value }
    }

    @Test func manySleepersAllWakeAfterTheirDeadlinesInFewFirings() async throws {
        let ticker = SimTicker(resolution: .milliseconds(20))
        let start = ContinuousClock.now
        let late = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<200 {
                let deadline = start + .milliseconds(10 + i % 100)
                group.addTask {
                    try await ticker.sleep(until: deadline)
                    return ContinuousClock.now >= deadline
                }
            }
            return try await group.reduce(into: 0) { count, onTime in count += onTime ? 0 : 1 }
        }
        #expect(late == 0)
        // 200 deadlines over 100 ms, at most one firing per 20 ms: about 6, never 200.
        #expect(ticker.firings <= 12)
    }

    @Test func aSleeperAfterAnIdleGapWakesOnTime() async throws {
        let ticker = SimTicker(resolution: .milliseconds(5))
        try await ticker.sleep(until: .now + .milliseconds(10))
        try await Task.sleep(for: .milliseconds(50))
        let start = ContinuousClock.now
        try await ticker.sleep(until: start + .milliseconds(20))
        #expect(ContinuousClock.now - start >= .milliseconds(20))
        #expect(ticker.firings == 2)
    }
}
