import Testing

@testable import ConvTUI

@Suite struct ReplayKeysTests {
    private let model = ConsoleFixtures.model(panes: 3, width: 120, height: 40)

    private func press(_ keys: [Key], from start: AppModel? = nil) -> (AppModel, [ConsoleCommand]) {
        var current = start ?? model
        var commands: [ConsoleCommand] = []
        for key in keys {
            let (next, issued) = ConsoleUpdate.update(current, .key(key), context: ConsoleContext(), keymap: .replay)
            current = next
            commands += issued
        }
        return (current, commands)
    }

    @Test func clockKeysDriveTheReplay() {
        #expect(press([.character(" ")]).1 == [.replay(.togglePlay)])
        #expect(press([.character("+"), .character("="), .character("-")]).1 == [.replay(.faster), .replay(.faster), .replay(.slower)])
        #expect(press([.left, .right]).1 == [.replay(.seek(seconds: -5)), .replay(.seek(seconds: 5))])
        #expect(press([.shiftLeft, .pageUp, .shiftRight, .pageDown]).1 == [
            .replay(.seek(seconds: -30)), .replay(.seek(seconds: -30)), .replay(.seek(seconds: 30)), .replay(.seek(seconds: 30)),
        ])
        #expect(press([.character("g"), .character("G")]).1 == [.replay(.toStart), .replay(.toEnd)])
        #expect(press([.character("{"), .character("}")]).1 == [.replay(.previousMark), .replay(.nextMark)])
    }

    @Test func eventStepsFollowTheFocusedPane() {
        #expect(press([.tab, .character("]"), .character("[")]).1 == [.replay(.nextEvent(pane: 1)), .replay(.previousEvent(pane: 1))])
        #expect(press([.character("3"), .character("]")]).1 == [.replay(.nextEvent(pane: 2))])
    }

    @Test func paneKeysFreezeAndResume() {
        #expect(press([.character("x")]).1 == [.stop(pane: 0)])
        #expect(press([.character("s"), .character("r")]).1 == [.start(pane: 0), .start(pane: 0)])
        #expect(press([.character("X"), .character("y")]).1 == [.stopAll])
    }

    @Test func goToPromptTakesMinutesAndSeconds() {
        let (typing, none) = press([.character("a"), .character("1"), .character(":"), .character("0"), .character("5")])
        #expect(none.isEmpty)
        guard case .goToTime(let line) = typing.mode else {
            Issue.record("not in the go-to prompt: \(typing.mode)")
            return
        }
        #expect(line.text == "1:05")
        let (done, commands) = press([.enter], from: typing)
        #expect(commands == [.replay(.goTo(micros: 65_000_000))])
        #expect(done.mode == .normal)
        let (refused, nothing) = press([.character("a"), .character("x"), .enter])
        #expect(nothing.isEmpty)
        #expect(refused.notice?.hasPrefix("not a time: x") == true)
        #expect(press([.character("a"), .character("9"), .escape]).0.mode == .normal)
    }

    @Test func quitNeedsNoConfirmationWithoutLiveSessions() {
        #expect(press([.character("q")]).0.isRunning == false)
    }

    @Test func liveKeymapKeepsArrowsForFocus() {
        let (moved, commands) = ConsoleUpdate.update(model, .key(.right), context: ConsoleContext(), keymap: .normal)
        #expect(moved.focus == 1)
        #expect(commands.isEmpty)
    }

    @Test func everyReplayKeyIsBoundOnce() {
        var seen: Set<Key> = []
        for binding in Keymap.replay.bindings {
            for key in binding.keys {
                #expect(!seen.contains(key), "\(key) bound twice")
                seen.insert(key)
            }
        }
    }

    @Test func typedTimesParse() {
        #expect(Clock.parse("75") == 75_000_000)
        #expect(Clock.parse("1:05") == 65_000_000)
        #expect(Clock.parse(" 1:02:03 ") == 3_723_000_000)
        #expect(Clock.parse("0:01.5") == 1_500_000)
        #expect(Clock.parse("1:75") == nil)
        #expect(Clock.parse("a:05") == nil)
        #expect(Clock.parse("") == nil)
        #expect(Clock.parse("-3") == nil)
        #expect(Clock.parse("1:2:3:4") == nil)
    }
}
