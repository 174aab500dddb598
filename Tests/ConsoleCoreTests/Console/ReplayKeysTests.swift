import Testing

@testable import ConsoleCore

@Suite struct ReplayKeysTests {
    private let model = ConsoleFixtures.model(panes: 3, width: 120, height: 40)

    private func press(_ keys: [Key], from start: AppModel? = nil) -> (AppModel, [ReplayCommand]) {
        ConsoleFixtures.press(keys, on: start ?? model, keymap: .replay)
    }

    @Test func clockKeysDriveTheReplay() {
        #expect(press([.character(" ")]).1 == [.togglePlay])
        #expect(press([.character("+"), .character("="), .character("-")]).1 == [.faster, .faster, .slower])
        #expect(press([.left, .right]).1 == [.seek(seconds: -5), .seek(seconds: 5)])
        #expect(press([.shiftLeft, .pageUp, .shiftRight, .pageDown]).1 == [
            .seek(seconds: -30), .seek(seconds: -30), .seek(seconds: 30), .seek(seconds: 30),
        ])
        #expect(press([.character("g"), .character("G")]).1 == [.toStart, .toEnd])
        #expect(press([.character("{"), .character("}")]).1 == [.previousMark, .nextMark])
        #expect(press([.character("\""), .character("'")]).1 == [.previousOperatorMark, .nextOperatorMark])
    }

    @Test func eventStepsFollowTheFocusedPane() {
        #expect(press([.tab, .character("]"), .character("[")]).1 == [.nextEvent(pane: 1), .previousEvent(pane: 1)])
        #expect(press([.character("3"), .character("]")]).1 == [.nextEvent(pane: 2)])
    }

    @Test func paneKeysFreezeAndResume() {
        #expect(press([.character("x")]).1 == [.freeze(pane: 0)])
        #expect(press([.character("s"), .character("r")]).1 == [.resume(pane: 0), .resume(pane: 0)])
        #expect(press([.character("X")]).1 == [.freezeAll])
        #expect(press([.character("S")]).1 == [.resumeAll])
    }

    @Test func goToPromptTakesMinutesAndSeconds() {
        let (typing, none) = press([.character("a"), .character("1"), .character(":"), .character("0"), .character("5")])
        #expect(none.isEmpty)
        guard case .prompt(.time, let line) = typing.mode else {
            Issue.record("not in the go-to prompt: \(typing.mode)")
            return
        }
        #expect(line.text == "1:05")
        let (done, commands) = press([.enter], from: typing)
        #expect(commands == [.goTo(micros: 65_000_000)])
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
        let (moved, commands) = ConsoleUpdate.update(model, .key(.right), context: ConsoleContext(), keymap: Keymap<LiveAction>.live)
        #expect(moved.focus == 1)
        #expect(commands.isEmpty)
    }

    @Test func typedTimesParse() {
        #expect(TimeText.parse("75") == 75_000_000)
        #expect(TimeText.parse("1:05") == 65_000_000)
        #expect(TimeText.parse(" 1:02:03 ") == 3_723_000_000)
        #expect(TimeText.parse("0:01.5") == 1_500_000)
        #expect(TimeText.parse("1:75") == nil)
        #expect(TimeText.parse("a:05") == nil)
        #expect(TimeText.parse("") == nil)
        #expect(TimeText.parse("-3") == nil)
        #expect(TimeText.parse("1:2:3:4") == nil)
    }
}
