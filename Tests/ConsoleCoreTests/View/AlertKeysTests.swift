import ConvEngine
import Testing

@testable import ConsoleCore

/// `n`/`N` go round the alerting panes; `!` lists the alerts.
@Suite struct AlertKeysTests {
    private func press(_ key: Character, focus: Int, alerting: [Int]) -> AppModel {
        var model = ConsoleFixtures.model(panes: 6, width: 120, height: 40)
        model.focus = focus
        return ConsoleUpdate.update(model, .key(.character(key)), context: ConsoleContext().alerting(alerting), keymap: .live).0
    }

    @Test func nAndShiftNStepThroughAlertingPanesAndWrap() {
        #expect(press("n", focus: 0, alerting: [2, 4]).focus == 2)
        #expect(press("n", focus: 2, alerting: [2, 4]).focus == 4)
        #expect(press("n", focus: 4, alerting: [2, 4]).focus == 2)
        #expect(press("N", focus: 4, alerting: [2, 4]).focus == 2)
        #expect(press("N", focus: 1, alerting: [2, 4]).focus == 4)
        let none = press("n", focus: 3, alerting: [])
        #expect(none.focus == 3)
        #expect(none.notice == "no pane has an alert")
    }

    @Test func bangListsTheAlertsWithTimesAndReasonsAndAnyKeyCloses() {
        let opened = press("!", focus: 0, alerting: [1])
        #expect(opened.mode == .alerts)
        let alerting = ConsoleFixtures.snapshot(number: 2, name: "lina", [.alert(rule: "dead_air", raised: true, reason: "no agent output 6.00 s")])
        let panes = [PaneFrame(snapshot: ConsoleFixtures.snapshot(number: 1), version: 1, now: 0), PaneFrame(snapshot: alerting, version: 1, now: 0)]
        let screen = ConsoleFixtures.render(opened, panes).buffer.lines.joined(separator: "\n")
        #expect(screen.contains("! 1 alert"))
        #expect(screen.contains("2 lina · dead_air at 0:00 · no agent output 6.00 s"))
        let closed = ConsoleUpdate.update(opened, .key(.character("x")), context: ConsoleContext(), keymap: Keymap<LiveAction>.live).0
        #expect(closed.mode == .normal)
    }

    @Test func replayHasTheAlertKeysToo() {
        #expect(Keymap<ReplayAction>.replay.action(for: .character("n"))?.viewAction == .nextAlert)
        #expect(Keymap<ReplayAction>.replay.action(for: .character("!"))?.viewAction == .toggleAlerts)
    }
}
