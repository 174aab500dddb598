import Testing
@testable import ConvEngine

/// Every rule fires and clears on a scripted event list, with alert events folded as the live
/// session folds them.
@Suite("Alert rules")
struct AlertRulesTests {
    /// A session fold that applies the rules after each event, as ``ConversationSession`` does.
    private struct Script {
        var rules = AlertRules()
        var state = SessionState(backend: "test")
        var raised: [String] = []
        var cleared: [String] = []
        var run = 1

        init(rules: AlertRules = AlertRules()) {
            self.rules = rules
            apply(0, .runStarted(backend: "test"))
            apply(0, .connected(conversationId: "c"))
        }

        mutating func apply(_ ms: Int64, _ kind: SessionEvent.Kind) {
            if case .runStarted = kind, state.run > 0 { run = state.run + 1 }
            state.apply(SessionEvent(offset: ms * 1000, run: run, kind: kind))
            check(ms)
        }

        /// The time-driven check (``ConversationSession/checkAlerts()``).
        mutating func check(_ ms: Int64) {
            for transition in rules.transitions(state, at: ms * 1000) {
                if case .alert(let rule, let up, _) = transition {
                    if up { raised.append(rule) } else { cleared.append(rule) }
                }
                state.apply(SessionEvent(offset: ms * 1000, run: run, kind: transition))
            }
        }

        var active: [String] { state.alerts.map(\.rule) }
    }

    private func turn(_ s: inout Script, at ms: Int64, latency: Int64) {
        s.apply(ms, .userMessage(text: "q"))
        s.apply(ms + latency, .agentTextDone(responseId: "r\(ms)", text: "a"))
        s.apply(ms + latency, .agentAudioDone)
    }

    @Test func slowTurnFiresAndClearsOnTheNextFastTurn() {
        var s = Script()
        turn(&s, at: 1_000, latency: 3_500)
        #expect(s.active == ["slow_turn"])
        turn(&s, at: 10_000, latency: 500)
        #expect(s.active.isEmpty)
        #expect(s.cleared == ["slow_turn"])
    }

    @Test func p95FiresOnceEnoughTurnsAreSlow() {
        var rules = AlertRules()
        rules.slowTurnMs = 0
        rules.p95MinTurns = 3
        var s = Script(rules: rules)
        for i in 0..<3 { turn(&s, at: Int64(i) * 10_000, latency: 2_500) }
        #expect(s.active == ["p95"])
        for i in 3..<60 { turn(&s, at: Int64(i) * 10_000, latency: 100) }
        #expect(s.active.isEmpty)
    }

    @Test func deadAirFiresWithTimeAndClearsOnOutput() {
        var s = Script()
        s.apply(1_000, .userMessage(text: "hello?"))
        s.check(6_000)
        #expect(s.active.isEmpty)
        s.check(7_500)
        #expect(s.active == ["dead_air"])
        s.apply(8_000, .agentTextDelta(responseId: "r", text: "sorry"))
        #expect(s.active.isEmpty)
    }

    @Test func errorBurstFiresAndClearsOnceTheWindowPasses() {
        var s = Script()
        for i in 0..<3 { s.apply(1_000 + Int64(i) * 1_000, .serverError(code: "x", message: "bad")) }
        #expect(s.active == ["error_burst"])
        s.check(40_000)
        #expect(!s.active.contains("error_burst"))
        #expect(s.cleared.contains("error_burst"))
    }

    @Test func stalledFiresWithoutServerEventsAndClearsOnOne() {
        var s = Script()
        s.apply(1_000, .ping(eventId: 1, latencyMs: 20))
        s.apply(20_000, .userAudio(bytes: 10, durationMs: 10))
        s.check(31_500)
        #expect(s.active == ["stalled"])
        s.apply(32_000, .ping(eventId: 2, latencyMs: 20))
        #expect(s.active.isEmpty)
    }

    @Test func reconnectLoopFiresOnRetriesAndClearsLater() {
        var s = Script()
        for i in 0..<3 { s.apply(1_000 + Int64(i) * 2_000, .serverError(code: "reconnecting", message: "try \(i + 1) of 5")) }
        #expect(s.active.contains("reconnect_loop"))
        s.check(200_000)
        #expect(!s.active.contains("reconnect_loop"))
    }

    @Test func failedRunFiresAndANewRunClearsIt() {
        var s = Script()
        s.apply(1_000, .failed(error: "boom"))
        #expect(s.active == ["failed"])
        s.apply(2_000, .runStarted(backend: "test"))
        #expect(s.active.isEmpty)
        #expect(s.state.alertsRaised == 1)
    }

    @Test func pendingApprovalFiresAfterItsTimeAndClearsWhenAnswered() {
        var s = Script()
        s.apply(1_000, .mcpToolCall(callId: "m", name: "search", state: "awaiting_approval", detail: "{}"))
        s.check(5_000)
        #expect(s.active.isEmpty)
        s.check(11_500)
        #expect(s.active == ["pending"])
        s.apply(12_000, .toolApproval(callId: "m", approved: true))
        #expect(s.active.isEmpty)
    }

    @Test func aZeroThresholdNeverFires() {
        var rules = AlertRules()
        rules.deadAirSeconds = 0
        var s = Script(rules: rules)
        s.apply(1_000, .userMessage(text: "hello?"))
        s.check(600_000)
        #expect(!s.active.contains("dead_air"))
    }

    @Test func rulesOffRaiseNothingYetClearWhatIsActive() {
        var s = Script()
        s.apply(1_000, .failed(error: "boom"))
        #expect(s.active == ["failed"])
        s.rules = .off
        s.check(2_000)
        #expect(s.active.isEmpty, "an alert raised before the rules were turned off is cleared")
        s.apply(3_000, .runStarted(backend: "test"))
        s.apply(3_000, .userMessage(text: "hello?"))
        s.check(600_000)
        s.apply(700_000, .failed(error: "boom"))
        #expect(s.raised == ["failed"], "nothing more is raised")
    }

    @Test func configTableIsRead() throws {
        let table: JSONValue = .object([("slow_turn_ms", 1_500), ("dead_air_s", 2.5), ("bell", true)])
        let rules = try AlertRules.parse(table) { key, message in ConfigError(file: "f", line: nil, key: key, message: message) }
        #expect(rules.slowTurnMs == 1_500)
        #expect(rules.deadAirSeconds == 2.5)
        #expect(rules.bell)
        #expect(throws: ConfigError.self) {
            try AlertRules.parse(.object([("nope", 1)])) { key, message in ConfigError(file: "f", line: nil, key: key, message: message) }
        }
    }
}
