import Testing
import TestSupport

@testable import ConvEngine

/// Turn metrics and alerts worked out by a real session (not only by the reducer or the
/// rule evaluator), on a clock the test moves.
@Suite("Session metrics edge cases")
struct SessionMetricsEdgeTests {
    private static func session(_ clock: ManualClock, rules: AlertRules = AlertRules()) -> (ConversationSession, TestTransports, Locked<[SessionEvent]>) {
        let events = Locked<[SessionEvent]>([])
        let transports = TestTransports()
        let session = ConversationSession(
            number: 1, name: "edge", backend: "test", log: nil, observer: { event in events.withLock { $0.append(event) } },
            alertRules: rules, clock: ElapsedClock(clock), makeTransport: transports.factory)
        return (session, transports, events)
    }

    private static func alerts(_ events: Locked<[SessionEvent]>) -> [String] {
        events.withLock { $0 }.compactMap { event in
            if case .alert(let rule, let raised, _) = event.kind { "\(rule) \(raised ? "raised" : "cleared")" } else { nil }
        }
    }

    @Test func aQuietServerRaisesStalledOnTheSessionsClockAndTheNextEventClearsIt() async throws {
        let clock = ManualClock()
        var rules = AlertRules()
        rules.stalledSeconds = 5
        let (session, transports, events) = Self.session(clock, rules: rules)
        session.start()
        #expect(await eventually { session.phase.isLive })
        transports.latest?.inject(.ping(eventId: 1, latencyMs: 20))
        clock.advance(by: .seconds(5))
        session.checkAlerts()
        #expect(Self.alerts(events).isEmpty, "5 s of quiet is not over the 5 s rule")
        clock.advance(by: .milliseconds(1_500))
        session.checkAlerts()
        #expect(Self.alerts(events) == ["stalled raised"])
        let alert = try #require(session.snapshot.state.alerts.first)
        #expect(alert.rule == "stalled" && alert.since == 6_500_000 && alert.reason == "no server event for 6.50 s")
        session.checkAlerts()
        #expect(Self.alerts(events) == ["stalled raised"], "raised once")
        transports.latest?.inject(.ping(eventId: 2, latencyMs: 20))
        #expect(Self.alerts(events) == ["stalled raised", "stalled cleared"])
        #expect(session.snapshot.state.alerts.isEmpty)
        session.stop()
    }

    @Test func twoTurnsCompletedInOneBatchEachGetTheirOwnTurnMetrics() async throws {
        let clock = ManualClock()
        let (session, transports, events) = Self.session(clock)
        session.start()
        #expect(await eventually { session.phase.isLive })
        transports.latest?.inject(.userMessage(text: "a"))
        clock.advance(by: .milliseconds(300))
        // The reply to "a" starts, then "b" cuts in and is answered, then "c": turns 1 and 2
        // complete in this one batch.
        transports.latest?.inject(
            .agentTextDelta(responseId: "r1", text: "x"), .userMessage(text: "b"), .agentTextDelta(responseId: "r2", text: "y"),
            .userMessage(text: "c"))
        let turns = events.withLock { $0 }.compactMap { event -> TurnMetrics? in
            if case .turnMetrics(let turn) = event.kind { turn } else { nil }
        }
        #expect(turns.map(\.turn) == [1, 2])
        #expect(turns.map(\.firstTextMs) == [300, 0], "each turn measured from its own start")
        #expect(session.snapshot.state.metrics.turns == 2)
        session.stop()
    }
}
