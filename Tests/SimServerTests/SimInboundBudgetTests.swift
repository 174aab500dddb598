@testable import SimServer
import Testing

/// A connection's byte budget: a burst at once, then its rate; instants are made, not waited for.
@Suite struct SimInboundBudgetTests {
    private let start = ContinuousClock.now

    @Test func theBurstPassesAtOnceThenTheRateHolds() {
        var budget = SimInboundBudget(bytesPerSecond: 1000, burst: 5000, now: start)
        #expect(budget.spend(5000, at: start) == .zero)
        #expect(budget.spend(500, at: start) == .milliseconds(500))
        // Half a second later the debt is paid: the next 1000 bytes wait one second.
        #expect(budget.spend(1000, at: start + .milliseconds(500)) == .seconds(1))
    }

    @Test func creditNeverExceedsTheBurst() {
        var budget = SimInboundBudget(bytesPerSecond: 1000, burst: 2000, now: start)
        #expect(budget.spend(2000, at: start + .seconds(60)) == .zero)
        #expect(budget.spend(1000, at: start + .seconds(60)) == .seconds(1))
    }
}
