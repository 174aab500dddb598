import Testing
import TestSupport
@testable import ConvEngine

/// A sleeper on `ticker` until `deadline`, and whether it has woken.
private func sleeper(on ticker: SimTicker, until deadline: Duration) -> (task: Task<Void, any Error>, woke: Locked<Bool>) {
    let woke = Locked(false)
    let task = Task {
        try await ticker.sleep(until: deadline)
        woke.withLock { $0 = true }
    }
    return (task, woke)
}

@Suite("Simulator ticker")
struct SimTickerTests {
    @Test func sleepersWakeAtTheirDeadlinesNotBefore() async throws {
        let clock = ManualClock()
        let ticker = SimTicker(resolution: .milliseconds(5), clock: clock)
        let (task, woke) = sleeper(on: ticker, until: .milliseconds(30))
        #expect(await eventually { clock.deadlines == [.milliseconds(30)] })
        clock.advance(by: .milliseconds(29))
        #expect(clock.deadlines == [.milliseconds(30)])
        #expect(!woke.withLock { $0 })
        clock.advance(by: .milliseconds(1))
        try await task.value
        #expect(ticker.now == .milliseconds(30))
    }

    @Test func cancellingOneSleeperLeavesTheOthers() async throws {
        let clock = ManualClock()
        let ticker = SimTicker(resolution: .milliseconds(5), clock: clock)
        let cancelled = sleeper(on: ticker, until: .seconds(60))
        let kept = sleeper(on: ticker, until: .milliseconds(50))
        #expect(await eventually { clock.deadlines == [.milliseconds(50)] })
        // No time passes: the cancel alone resumes it.
        cancelled.task.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.task.value }
        #expect(!kept.woke.withLock { $0 })
        clock.advance(by: .milliseconds(50))
        try await kept.task.value
    }

    @Test func alreadyCancelledTaskThrowsAtOnce() async {
        let ticker = SimTicker(clock: ManualClock())
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await ticker.sleep(until: .seconds(60))
        }
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}

@Suite("Simulator ticker scheduling")
struct SimTickerSchedulingTests {
    @Test func aLoneSleeperCostsOneFiringNotAPoll() async throws {
        let clock = ManualClock()
        let ticker = SimTicker(resolution: .milliseconds(5), clock: clock)
        let (task, _) = sleeper(on: ticker, until: .milliseconds(200))
        #expect(await eventually { clock.deadlines == [.milliseconds(200)] })
        for _ in 0..<40 { clock.advance(by: .milliseconds(5)) }
        try await task.value
        // A fixed 5 ms tick would have fired 40 times.
        #expect(ticker.firings == 1)
    }

    @Test func anEarlierSleeperIsNotHeldBackByALaterOne() async throws {
        let clock = ManualClock()
        let ticker = SimTicker(resolution: .milliseconds(5), clock: clock)
        let far = sleeper(on: ticker, until: .seconds(60))
        #expect(await eventually { clock.deadlines == [.seconds(60)] })
        let near = sleeper(on: ticker, until: .milliseconds(30))
        // The near sleeper replaces the 60 s timer with its own.
        #expect(await eventually { clock.deadlines == [.milliseconds(30)] })
        clock.advance(by: .milliseconds(30))
        try await near.task.value
        #expect(!far.woke.withLock { $0 })
        far.task.cancel()
        await #expect(throws: CancellationError.self) { try await far.task.value }
    }

    @Test func manySleepersAllWakeAtTheirDeadlinesInFewFirings() async throws {
        let clock = ManualClock()
        let ticker = SimTicker(resolution: .milliseconds(20), clock: clock)
        let woken = Locked(0)
        let sleepers = (0..<200).map { i in
            let deadline = Duration.milliseconds(10 + i % 100)
            return Task {
                try await ticker.sleep(until: deadline)
                woken.withLock { $0 += 1 }
                return ticker.now >= deadline
            }
        }
        #expect(await clock.advance { woken.withLock { $0 } == 200 })
        for task in sleepers { #expect(try await task.value) }
        // 200 deadlines over 100 ms, at most one firing per 20 ms: about 6, never 200.
        #expect(ticker.firings <= 7)
    }

    @Test func aSleeperAfterAnIdleGapWakesOnTime() async throws {
        let clock = ManualClock()
        let ticker = SimTicker(resolution: .milliseconds(5), clock: clock)
        let first = sleeper(on: ticker, until: .milliseconds(10))
        #expect(await eventually { clock.deadlines == [.milliseconds(10)] })
        clock.advance(by: .milliseconds(10))
        try await first.task.value
        clock.advance(by: .milliseconds(50))
        let second = sleeper(on: ticker, until: .milliseconds(80))
        #expect(await eventually { clock.deadlines == [.milliseconds(80)] })
        clock.advance(by: .milliseconds(19))
        #expect(!second.woke.withLock { $0 })
        clock.advance(by: .milliseconds(1))
        try await second.task.value
        #expect(ticker.firings == 2)
    }
}
