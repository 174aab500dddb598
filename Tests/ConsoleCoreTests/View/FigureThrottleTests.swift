import ConvEngine
import Testing

@testable import ConsoleCore

@Suite struct FigureThrottleTests {
    /// A state after `pings` pings (a new latency and one more event in each, in the same phase).
    private static func state(pings: Int, then kinds: [SessionEvent.Kind] = []) -> SessionState {
        ConsoleFixtures.snapshot(number: 1, Array(repeating: .ping(eventId: nil, latencyMs: 80), count: pings) + kinds).state
    }

    @Test func countersChangeAtMostOnceASecond() {
        var throttle = FigureThrottle()
        let first = throttle.figures(pane: 0, state: Self.state(pings: 1), second: 100) { 1_000_000 }
        #expect(first == PaneFigures(Self.state(pings: 1), now: 1_000_000))
        let busier = Self.state(pings: 3)
        #expect(throttle.figures(pane: 0, state: busier, second: 100) { 1_500_000 } == first)
        let next = throttle.figures(pane: 0, state: busier, second: 101) { 2_000_000 }
        #expect(next.counters == busier.counters)
        // The run started with the first event, at 0.25 s.
        #expect(next.elapsed == 1_750_000)
    }

    @Test func thePanesClockIsReadOnlyWhenTheFiguresAreBroughtUpToDate() {
        var throttle = FigureThrottle()
        var reads = 0
        for pings in 0..<5 {
            _ = throttle.figures(pane: 0, state: Self.state(pings: pings), second: 7) {
                reads += 1
                return 0
            }
        }
        #expect(reads == 1)
    }

    @Test func aPhaseChangeWaitsForTheSecondButANewErrorShowsAtOnce() {
        var throttle = FigureThrottle()
        let listening = Self.state(pings: 1)
        _ = throttle.figures(pane: 0, state: listening, second: 5) { 0 }
        let thinking = Self.state(pings: 2, then: [.agentThinking])
        #expect(thinking.phase != listening.phase)
        #expect(throttle.figures(pane: 0, state: thinking, second: 5) { 0 }.counters == listening.counters)
        let failing = Self.state(pings: 2, then: [.agentThinking, .serverError(code: "x", message: "boom")])
        #expect(throttle.figures(pane: 0, state: failing, second: 5) { 0 }.counters == failing.counters)
    }

    @Test func panesAreThrottledEachOnItsOwnAndAKeyRefreshesThemAll() {
        var throttle = FigureThrottle()
        let quiet = Self.state(pings: 0)
        let busy = Self.state(pings: 1)
        _ = throttle.figures(pane: 0, state: quiet, second: 1) { 0 }
        #expect(throttle.figures(pane: 1, state: busy, second: 1) { 0 }.counters == busy.counters)
        #expect(throttle.figures(pane: 0, state: busy, second: 1) { 0 }.counters == quiet.counters)
        throttle.refreshAll()
        #expect(throttle.figures(pane: 0, state: busy, second: 1) { 0 }.counters == busy.counters)
    }
}
